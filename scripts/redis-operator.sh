#!/bin/sh
# Launcher installed as /redis-operator in the image and copied next to its JRE into data pods.
dir=$(dirname "$(readlink -f "$0")")
exec "$dir/jre/bin/java" ${JAVA_OPTS:--XX:MaxRAMPercentage=50 -XX:+UseSerialGC} -jar "$dir/redis-operator.jar" "$@"

# One image, two roles (like CloudNativePG's manager): `controller` for the Deployment, and the instance agent,
# which a `bootstrap` init container copies (JRE + jar + launcher script) into each data pod running a stock Redis
# image, so spec.imageName stays a plain Redis image.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp install -DskipTests

FROM eclipse-temurin:17-jre AS jre

FROM debian:bookworm-slim
COPY --from=jre /opt/java/openjdk /opt/redis-operator/jre
COPY --from=build /src/dist/redis-operator.jar /opt/redis-operator/redis-operator.jar
COPY scripts/redis-operator.sh /opt/redis-operator/redis-operator
RUN chmod 0755 /opt/redis-operator/redis-operator && ln -s /opt/redis-operator/redis-operator /redis-operator
USER 65532:65532
ENTRYPOINT ["/redis-operator"]
CMD ["--help"]

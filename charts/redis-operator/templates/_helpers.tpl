{{- define "redis-operator.name" -}}{{ .Release.Name }}{{- end -}}
{{- define "redis-operator.labels" -}}
app.kubernetes.io/name: redis-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "redis-operator.selector" -}}
app.kubernetes.io/name: redis-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "redis-operator.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}

{{- define "lambkin.labels" -}}
app.kubernetes.io/part-of: lambkin
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lambkin.operator.name" -}}
{{ .Release.Name }}-operator
{{- end -}}

{{- define "lambkin.operator.selector" -}}
app.kubernetes.io/name: lambkin-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lambkin.gateway.url" -}}
{{- if .Values.gateway.url -}}{{ .Values.gateway.url }}{{- else -}}http://lambkin-gateway.{{ .Release.Namespace }}.svc.cluster.local:8080{{- end -}}
{{- end -}}

{{/* What the operator may do to the objects of one namespace (or all): the least it needs. */}}
{{- define "lambkin.operator.rules" -}}
- apiGroups: [lambkin.dev]
  resources: [functions, triggers, deadletterqueues]
  verbs: [get, list, watch]
- apiGroups: [lambkin.dev]
  resources: [functions/status, triggers/status, deadletterqueues/status]
  verbs: [get, patch, update]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, update]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch, update]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch, create, patch, update]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

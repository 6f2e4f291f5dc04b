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
# the finalizer that deletes a queue's stream with it (deletionPolicy Delete)
- apiGroups: [lambkin.dev]
  resources: [deadletterqueues]
  verbs: [patch, update]
- apiGroups: [apps]
  resources: [deployments]
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

{{- define "lambkin.nats.url" -}}
{{- if .Values.nats.enabled -}}nats://lambkin-nats.{{ .Release.Namespace }}.svc.cluster.local:4222{{- else -}}{{ required "nats.url is required when nats.enabled is false" .Values.nats.url }}{{- end -}}
{{- end -}}

{{/* The NATS storage actually used: auto picks a PVC only when a default StorageClass exists. */}}
{{- define "lambkin.nats.storageMode" -}}
{{- $mode := .Values.nats.storage.mode -}}
{{- if eq $mode "auto" -}}
{{- $default := false -}}
{{- range (lookup "storage.k8s.io/v1" "StorageClass" "" "").items | default list -}}
{{- if eq (index (.metadata.annotations | default dict) "storageclass.kubernetes.io/is-default-class") "true" -}}{{- $default = true -}}{{- end -}}
{{- end -}}
{{- if or $default .Values.nats.storage.storageClassName -}}persistentVolumeClaim{{- else -}}hostPath{{- end -}}
{{- else -}}{{ $mode }}{{- end -}}
{{- end -}}

{{/* Environment and volumes that connect the operator and the gateway to NATS. */}}
{{- define "lambkin.nats.env" -}}
- {name: LAMBKIN_NATS_URL, value: {{ include "lambkin.nats.url" . | quote }}}
- {name: LAMBKIN_NATS_STREAM_REPLICAS, value: {{ .Values.nats.streams.replicas | quote }}}
- {name: LAMBKIN_NATS_STORAGE, value: {{ .Values.nats.streams.storage | quote }}}
{{- if .Values.nats.credentialsSecret }}
- {name: LAMBKIN_NATS_CREDENTIALS, value: /etc/lambkin/nats/nats.creds}
{{- end }}
{{- end -}}
{{- define "lambkin.nats.volumeMounts" -}}
{{- if .Values.nats.credentialsSecret }}
- {name: nats-credentials, mountPath: /etc/lambkin/nats, readOnly: true}
{{- end }}
{{- end -}}
{{- define "lambkin.nats.volumes" -}}
{{- if .Values.nats.credentialsSecret }}
- name: nats-credentials
  secret: {secretName: {{ .Values.nats.credentialsSecret | quote }}}
{{- end }}
{{- end -}}

{{/* The gateway's auth mode; kubernetes when unset (a release upgraded with --reuse-values from an older chart). */}}
{{- define "lambkin.gateway.authMode" -}}
{{- dig "gateway" "auth" "mode" "kubernetes" .Values.AsMap -}}
{{- end }}

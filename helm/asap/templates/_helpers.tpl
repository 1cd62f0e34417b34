{{/*
Names and labels shared by every object of the release.
*/}}

{{/* The chart's name, shortened to fit a DNS label. */}}
{{- define "asap.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's base name. Derived objects append at most "-self-tuner" (11 characters), so it is
cut at 52 to keep every name a valid DNS label.
*/}}
{{- define "asap.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "asap.selfTunerName" -}}
{{- printf "%s-self-tuner" (include "asap.fullname" .) }}
{{- end }}

{{/* The ConfigMap the Self-Tuner writes and the operator reads. */}}
{{- define "asap.selfTunerConfigMap" -}}
{{- include "asap.selfTunerName" . }}
{{- end }}

{{- define "asap.leaseName" -}}
{{- printf "%s-leader" (include "asap.fullname" .) }}
{{- end }}

{{- define "asap.operatorServiceAccount" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "asap.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "asap.selfTunerServiceAccount" -}}
{{- if .Values.selfTuner.serviceAccount.create }}
{{- default (include "asap.selfTunerName" .) .Values.selfTuner.serviceAccount.name }}
{{- else }}
{{- required "selfTuner.serviceAccount.name is required when selfTuner.serviceAccount.create is false" .Values.selfTuner.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "asap.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "asap.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: asap
{{- end }}

{{/* Selects the operator's pods only: the Self-Tuner's pods carry another component. */}}
{{- define "asap.operatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "asap.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "asap.image" -}}
{{- printf "%s:%s" .image.repository (default .chart.AppVersion .image.tag) }}
{{- end }}

{{/* More than one replica only works with leader election: two leaders would start trials twice. */}}
{{- define "asap.leaderElection" -}}
{{- if or (gt (int .Values.replicas) 1) .Values.leaderElection.enabled }}true{{ else }}false{{ end }}
{{- end }}

{{/* The restricted-profile container security context both workloads use. */}}
{{- define "asap.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
What the operator does in each namespace it watches: it owns the studies' and trials' objects, runs
trials as Jobs, reads their pods and logs (the stdout collector), and records Events. The same
list goes into the ClusterRole or into each namespace's Role, so both scopes grant the same.
*/}}
{{- define "asap.operatorWatchedRules" -}}
- apiGroups: [asap.dev]
  resources: [hpostudies, hpotrials]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [asap.dev]
  resources: [hpostudies/status, hpotrials/status]
  verbs: [get, update, patch]
- apiGroups: [asap.dev]
  resources: [hpostudies/finalizers, hpotrials/finalizers]
  verbs: [update]
# deletecollection: deleting a study deletes its Jobs by label in one call.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete, deletecollection, patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# The operator creates and reads, by name, the Secrets that trials use to authenticate metric
# reports (it never lists or watches Secrets). Get is still granted on every Secret in the watched
# namespaces (all of them unless watchNamespaces is set): Kubernetes cannot limit it to names not
# known in advance.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, create, update, delete]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* The Self-Tuner only reads studies and trials; it writes nothing but its own ConfigMap. */}}
{{- define "asap.selfTunerWatchedRules" -}}
- apiGroups: [asap.dev]
  resources: [hpostudies, hpotrials]
  verbs: [get, list, watch]
{{- end }}

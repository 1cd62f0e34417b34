{{/*
The gateway's backends as environment variables. The gateway reads a numbered list
asap.gateway.backends[i].*; SmallRye Config finds list entries in variables named
ASAP_GATEWAY_BACKENDS_<i>__<KEY> ("[i]." becomes "_i__"), which replaces the image's default
backend 0 (the embedded model) entry by entry. The embedded model, when on, stays backend 0 and
the remote servers follow it from 1.
*/}}
{{- define "asap.gatewayBackendsEnv" -}}
{{- $gateway := .Values.gateway }}
{{- $embedded := $gateway.embedded }}
{{- if and (not $embedded.enabled) (empty $gateway.backends) }}
{{- fail "gateway: no backend; set gateway.embedded.enabled=true or list servers in gateway.backends (or gateway.enabled=false)" }}
{{- end }}
{{- $first := 0 }}
{{- if $embedded.enabled }}
{{- $first = 1 }}
- name: ASAP_GATEWAY_BACKENDS_0__NAME
  value: embedded
- name: ASAP_GATEWAY_BACKENDS_0__TYPE
  value: embedded
{{- if $embedded.volume }}
{{- if not $embedded.modelPath }}
{{- fail "gateway.embedded.volume is set but gateway.embedded.modelPath is empty: name the GGUF file in the volume, e.g. /models/model.gguf" }}
{{- end }}
{{- if not (hasPrefix (printf "%s/" (trimSuffix "/" $embedded.mountPath)) $embedded.modelPath) }}
{{- fail (printf "gateway.embedded.modelPath %q is not under gateway.embedded.mountPath %q, where the volume is mounted" $embedded.modelPath $embedded.mountPath) }}
{{- end }}
{{- end }}
{{- with $embedded.modelPath }}
- name: ASAP_GATEWAY_BACKENDS_0__MODEL_PATH
  value: {{ . | quote }}
{{- end }}
- name: ASAP_GATEWAY_BACKENDS_0__CONTEXT_SIZE
  value: {{ $embedded.contextSize | quote }}
- name: ASAP_GATEWAY_BACKENDS_0__THREADS
  value: {{ $embedded.threads | quote }}
{{- end }}
{{- $seen := dict }}
{{- range $i, $backend := $gateway.backends }}
{{- if hasKey $seen $backend.name }}
{{- fail (printf "gateway.backends: the name %q is used twice; names must be unique" $backend.name) }}
{{- end }}
{{- if and $embedded.enabled (eq $backend.name "embedded") }}
{{- fail "gateway.backends: the name \"embedded\" is taken by the embedded model (gateway.embedded)" }}
{{- end }}
{{- $_ := set $seen $backend.name true }}
{{- $index := add $first $i }}
- name: ASAP_GATEWAY_BACKENDS_{{ $index }}__NAME
  value: {{ $backend.name | quote }}
- name: ASAP_GATEWAY_BACKENDS_{{ $index }}__TYPE
  value: {{ default "openai" $backend.type | quote }}
- name: ASAP_GATEWAY_BACKENDS_{{ $index }}__URL
  value: {{ $backend.url | quote }}
{{- with $backend.model }}
- name: ASAP_GATEWAY_BACKENDS_{{ $index }}__MODEL
  value: {{ . | quote }}
{{- end }}
{{- with $backend.apiKeySecret }}
- name: ASAP_GATEWAY_BACKENDS_{{ $index }}__API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ .key | quote }}
{{- end }}
{{- end }}
{{- end }}

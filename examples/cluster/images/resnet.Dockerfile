# The trainer image of gpu-resnet.yaml: PyTorch with CUDA, ASAP's Python SDK and the trainer.
# Build from the repository root and push it where your cluster pulls from:
#   docker build -f examples/cluster/images/resnet.Dockerfile -t <your registry>/asap/example-resnet:0.1.0 .
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime
COPY sdk/python /opt/asap-sdk
RUN pip install --no-cache-dir /opt/asap-sdk
COPY examples/cluster/resnet/train.py /app/train.py
WORKDIR /app
# Any non-root user: the study's pod template asks for runAsNonRoot.
USER 1000

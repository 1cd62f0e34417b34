# The trainer image of cpu-digits.yaml: the pinned scikit-learn of the local examples and the
# digits SVM trainer. Build from the repository root and push it where your cluster pulls from:
#   docker build -f examples/cluster/images/digits.Dockerfile -t <your registry>/asap/example-digits:0.1.0 .
FROM python:3.11-slim
COPY sdk/python/requirements-examples.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY examples/digits-svm/train.py /app/train.py
WORKDIR /app
USER 1000

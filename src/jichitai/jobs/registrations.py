"""What the jobs module adds to the platform's registries: the worker's state in ``/healthz``."""

from jichitai.core.registry import health_reports
from jichitai.jobs.liveness import worker_state

health_reports.register("jobs.worker", worker_state)

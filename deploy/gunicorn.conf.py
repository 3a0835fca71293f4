"""gunicorn settings for the production profile: ``gunicorn -c deploy/gunicorn.conf.py
motcua.config.wsgi``. See docs/deployment.md.

The access log names the path only (``%(U)s``), never the query string, the
referrer or the user agent: a query string may carry a dossier code with its
second factor, and a referrer the page a citizen came from. Application logs go
through Django's LOGGING, where personal data is masked (motcua.core.logscrub).
"""

import multiprocessing
import os

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")
# One worker per core, not gunicorn's classic 2 x cores + 1: a MotCua request
# spends its time in Python (templates, permission filters, PDF slips) rather
# than waiting on the network, so more processes than cores only queue on the
# CPU and multiply PostgreSQL connections (each worker keeps one, CONN_MAX_AGE).
# Several machines behind a balancer add capacity; see docs/deploy.md.
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", multiprocessing.cpu_count()))
timeout = 60
graceful_timeout = 30
# nginx in front sets X-Forwarded-For/Proto; trust it only from the proxy itself.
forwarded_allow_ips = os.environ.get("MOTCUA_TRUSTED_PROXIES", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# client, time, "METHOD /path", status, bytes, duration (ms)
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)s'
limit_request_line = 4094
limit_request_fields = 100

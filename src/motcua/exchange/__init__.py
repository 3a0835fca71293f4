"""Liên thông between systems (issue 14 item 3): a dossier step handled by an
agency on another MotCua deployment, or any system speaking the documented
exchange protocol (docs/exchange.md) — signed requests, idempotency, retries."""

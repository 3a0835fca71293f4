"""Synchronisation with the National Public Service Portal (Cổng dịch vụ công
quốc gia, DVCQG), issue 14 item 2: each dossier and its process history in the
shape the portal's sync expects, queued and retried, with its state per dossier."""

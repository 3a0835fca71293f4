"""Settings for the test suite: the real settings, with local state in a temporary
folder (a plain ``pytest`` never touches the developer's ``var/``) and a fast
password hasher."""

import os
import tempfile

os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-pytest-"))

from motcua.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

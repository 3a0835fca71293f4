import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
application = get_wsgi_application()

# Every view module loaded now, as the first request would load them (a broken
# import stops the worker at start, not a citizen's request); then what start-up
# made (modules, classes, URL patterns, compiled templates to come excepted) is
# moved out of the garbage collector's reach: its collections scan only what
# requests make. Issue 15: about a tenth of a list page's or a dossier's time
# went to collections scanning ~220,000 objects made at start-up (ADR 0037).
get_resolver().url_patterns  # noqa: B018 - loading them is the point
gc.freeze()

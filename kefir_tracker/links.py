"""reverse(), remembered.

Pages ask for the same addresses over and over (a Today page asked for 25),
and Django's reverse() takes 20-30 µs each time. An address depends only on
the URLconf, the script prefix, the view's name and its arguments, so it is
kept per process under exactly those.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


def link(viewname: str, *args, **kwargs) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs)``, from memory after the first time."""
    return _link(get_urlconf(), get_script_prefix(), viewname, args, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=20_000)
def _link(urlconf, script_prefix, viewname, args, kwargs) -> str:
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))

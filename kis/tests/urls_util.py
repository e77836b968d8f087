"""Enumerate every URL of the URLconf with sample arguments, for access tests."""

import itertools

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

SAMPLE_VALUES = ("1", "auth", "2014")


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _argument_names(pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    return list(getattr(pattern.pattern.regex, "groupindex", {}))


def all_urls() -> dict[str, str]:
    """{url name: a sample URL} for every named URL that can be reversed."""
    urls = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        names = _argument_names(pattern)
        for values in itertools.product(SAMPLE_VALUES, repeat=len(names)):
            try:
                urls[name] = reverse(name, kwargs=dict(zip(names, values, strict=True)))
                break
            except NoReverseMatch:
                continue
    return urls

from types import SimpleNamespace

import pytest

from tests.factories import make_culture


def make_chain(owner, depth, name="Gen"):
    """A line of ``depth`` + 1 cultures, each split from the one before; returns them root first."""
    chain = [make_culture(owner, f"{name} 0")]
    for generation in range(1, depth + 1):
        chain.append(make_culture(owner, f"{name} {generation}", parent=chain[-1], origin="split"))
    return chain


@pytest.fixture
def family(owner):
    """Babushka → Babushka II → Babushka III → Little B, and Anna's jar split from Babushka."""
    root = make_culture(owner, "Babushka", origin="gift", source="Grandma Vera")
    second = make_culture(owner, "Babushka II", parent=root, origin="split")
    third = make_culture(owner, "Babushka III", parent=second, origin="split")
    fourth = make_culture(owner, "Little B", parent=third, origin="split")
    annas = make_culture(owner, "Anna's jar", parent=root, origin="split")
    return SimpleNamespace(root=root, second=second, third=third, fourth=fourth, annas=annas)


HTMX = {"HTTP_HX_REQUEST": "true"}

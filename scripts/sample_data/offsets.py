import os

SHARED = os.environ.get(
    "WUFEI_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
)
Y = open(SHARED + "/seeds/000_c16f0f7a82d733c2.txt", encoding="utf-8").read()
J = open(SHARED + "/seeds/003_1dbbb06e4be99a0e.txt", encoding="utf-8").read()


def off(t, snippet, start=0, target=None):
    i = t.find(snippet, start)
    assert i >= 0, snippet
    assert t.find(snippet, i + 1) < 0 or start, ("not unique", snippet)
    if target:
        i += snippet.index(target)
    return i

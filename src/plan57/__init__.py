"""plan57: compliance checker for Kế hoạch 283-KH/TU (Đắk Lắk, Resolution 57-NQ/TW).

The library is the product; the CLI is a thin layer over it. Heavy modules (pandas) are
imported by the functions that need them, so that importing this package stays cheap.
"""


def __getattr__(name: str) -> str:
    # importlib.metadata costs a fifth of `plan57 --help`: read the version only when asked.
    if name != "__version__":
        raise AttributeError(f"module 'plan57' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plan57")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0"

"""plan57: compliance checker for Kế hoạch 283-KH/TU (Đắk Lắk, Resolution 57-NQ/TW).

The library is the product; the CLI is a thin layer over it. Heavy modules (pandas) are
imported by the functions that need them, so that importing this package stays cheap.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plan57")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

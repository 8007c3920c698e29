"""Cross-cutting request handling: a request id for logs and error pages, no caching, and a
Permissions-Policy."""

import uuid


class RequestIdMiddleware:
    """Give each request an id of our own, for logs, the access log and error pages. An
    X-Request-ID that came with the request is ignored: a client could choose it, and the
    access log must name requests the app can vouch for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def _public(response) -> bool:
    """A page the view marked public (the board's public site) that sets no cookie: the same
    for everyone, so a shared cache may keep it."""
    return (
        response.status_code == 200
        and "public" in response.get("Cache-Control", "")
        and not response.cookies
    )


class NoStoreMiddleware:
    """Forbid caching of every page: they hold case material, so Back after sign-out shows none.
    Only the public site's pages may be kept (briefly), unless they set a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/") and not _public(response):
            response["Cache-Control"] = "no-store, private"
        return response


# Powerful browser features the service never uses, refused to every page (and any frame).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy on every response, error pages and downloads included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

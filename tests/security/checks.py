"""What every answer to bad input must be: no server error, clean headers, French pages."""

# 301/302: redirects (HTTPS, sign-in); 400: Django refused to read the request (too many
# fields...); 403: CSRF; 404: no such object; 405: method not allowed.
ACCEPTABLE = {200, 301, 302, 400, 403, 404, 405}


def assert_sane(response, url=""):
    where = f"{response.request.get('REQUEST_METHOD', '')} {url or response.request['PATH_INFO']}"
    assert response.status_code < 500, f"{where} : erreur {response.status_code}"
    assert response.status_code in ACCEPTABLE, f"{where} : statut {response.status_code}"
    for name, value in response.items():
        assert not any(c in value for c in "\r\n\x00"), f"{where} : en-tête {name} abîmé"
    content_type = response.get("Content-Type", "")
    is_fragment = response.request.get("HTTP_HX_REQUEST") == "true"
    if (
        content_type.startswith("text/html")
        and not response.streaming
        and response.status_code != 302
        and not is_fragment
        and response.content
    ):
        assert b'lang="fr"' in response.content, f"{where} : page sans lang=fr"

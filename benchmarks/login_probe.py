"""The throttling probe of issue 14 against a running server: wrong passwords on /login/ and /admin/login/, then
the right one, and invalid API tokens; prints the statuses in order (302: signed in, 429: locked out).

    .venv/bin/python benchmarks/login_probe.py --url http://127.0.0.1:8000 --user admin --password jiesu-demo

Each login is a real browser-like form post (the CSRF cookie and field from a GET first). Run it only against
a server of your own: it locks the account (and after 20 failures the address) for the lock-out window.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request


def login(url: str, path: str, user: str, password: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         urllib.request.HTTPRedirectHandler())
    page = opener.open(url + path).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    body = urllib.parse.urlencode({"username": user, "password": password,
                                   "csrfmiddlewaretoken": token.group(1) if token else ""}).encode()
    request = urllib.request.Request(url + path, body, headers={"Referer": url + path})
    try:
        response = opener.open(request)
        if not response.geturl().endswith(path):
            return 302  # redirected away from the login page: signed in
        # the admin answers a lock-out with its login page (200) and the lock message: counted as 429 here
        return 429 if "次数过多" in response.read().decode() else response.status
    except urllib.error.HTTPError as error:
        return error.code


def token(url: str, value: str) -> int:
    request = urllib.request.Request(url + "/api/v1/tickets", headers={"Authorization": f"Bearer {value}"})
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="jiesu-demo")
    parser.add_argument("--tries", type=int, default=30)
    args = parser.parse_args()
    result = {}
    for path in ("/login/", "/admin/login/"):
        wrong = [login(args.url, path, args.user, "wrong-password") for _ in range(args.tries)]
        result[path] = {"wrong": wrong, "then_right": login(args.url, path, args.user, args.password)}
    result["tokens"] = [token(args.url, "jiesu_deadbeef_" + "x" * 43) for _ in range(args.tries)]
    print(json.dumps(result))


if __name__ == "__main__":
    main()

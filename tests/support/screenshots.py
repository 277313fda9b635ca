"""The managers' dashboard as a standalone HTML file for a headless-browser screenshot: the
page as the demo manager sees it, with its styles fetched from a local server."""

from django.test import Client

from accounts.models import User

SERVER = "http://127.0.0.1:8765/"


def dashboard_html(path):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="manager"))
    html = client.get("/admin/reports/").content.decode()
    with open(path, "w", encoding="utf-8") as out:
        out.write(html.replace("<head>", f'<head><base href="{SERVER}">', 1))

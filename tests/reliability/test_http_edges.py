"""The HTTP edge of `newsmeta serve` with no proxy in front: a huge header is refused with 431 at
once, a stalled head or body is cut off, HEAD and Allow are right on every route, and neither
the Host header nor an internal address finds its way into an answer."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.reliability.conftest import (
    ROOT,
    Server,
    assert_problem,
    free_port,
    migrated,
    record,
    seed,
    server_env,
)
from tests.reliability.test_bad_inputs import DOC

pytestmark = pytest.mark.model

# --- A real `newsmeta serve` ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`newsmeta serve` as a user runs it, with short header and body deadlines to test them."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    log = folder / "server.log"
    env = server_env(
        f"sqlite:///{folder / 'newsmeta.db'}",
        NEWSMETA_EXTRACT_WORKERS="1",
        NEWSMETA_HEADER_TIMEOUT_SECONDS="1",
        NEWSMETA_BODY_TIMEOUT_SECONDS="1",
    )
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, server.log_text()[-3000:]
            try:
                if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, server.log_text()[-3000:]
            time.sleep(0.2)
        yield server
    finally:
        server.stop()


def _connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_all(sock: socket.socket, limit: float = 10) -> bytes:
    """What the server sends until it closes the connection (or `limit` seconds pass)."""
    sock.settimeout(limit)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def test_a_20_mb_header_is_refused_with_431_at_once(served: Server) -> None:
    sock = _connect(served)
    started = time.monotonic()

    def send_header() -> None:
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
            chunk = b"a" * 1_000_000
            for _ in range(20):
                sock.sendall(chunk)
            sock.sendall(b"\r\n\r\n")
        except OSError:
            pass  # the server closed the connection: the point

    sender = threading.Thread(target=send_header, daemon=True)
    sender.start()
    answer = _read_all(sock)
    elapsed = time.monotonic() - started
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:300]
    assert b"application/problem+json" in answer
    assert elapsed < 5, elapsed  # 283 s for 400 MB before
    record(f"20 MB header refused with 431 in {elapsed:.2f} s")
    assert httpx.get(f"{served.url}/healthz", timeout=5).status_code == 200


def test_too_many_header_fields_are_431(served: Server) -> None:
    headers = "".join(f"X-H{i}: {i}\r\n" for i in range(150))
    sock = _connect(served)
    sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:300]


def test_an_ordinary_request_with_many_small_headers_still_goes(served: Server) -> None:
    response = httpx.get(
        f"{served.url}/healthz", headers={f"X-H{i}": "v" * 100 for i in range(50)}, timeout=5
    )
    assert response.status_code == 200


def test_a_stalled_request_head_is_cut_off(served: Server) -> None:
    """Slowloris: a head sent a byte at a time never finishes; the deadline closes it (1 s here)."""
    sock = _connect(served)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    started = time.monotonic()
    answer = _read_all(sock)
    sock.close()
    assert time.monotonic() - started < 8
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 "), answer[:300]


def test_a_connection_that_sends_nothing_is_closed(served: Server) -> None:
    sock = _connect(served)
    started = time.monotonic()
    answer = _read_all(sock)
    sock.close()
    assert answer == b"" and time.monotonic() - started < 8


def test_a_stalled_body_is_answered_408(served: Server) -> None:
    sock = _connect(served)
    sock.sendall(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"text": "Olaf'
    )
    started = time.monotonic()
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:300]
    assert b"application/problem+json" in answer and time.monotonic() - started < 8


# --- HEAD, Allow, Host and what problems say, in process -----------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = migrated(
        f"sqlite:///{tmp_path_factory.mktemp('edges') / 'newsmeta.db'}", auth_enabled=False, extract_workers=1
    )
    seed(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


GET_PATHS = [path for path, operations in DOC["paths"].items() if "get" in operations and "{" not in path]


def test_the_get_routes_were_found() -> None:
    assert {"/healthz", "/readyz", "/articles", "/stats/top"} <= set(GET_PATHS)


@pytest.mark.parametrize("path", [*GET_PATHS, "/articles/1", "/openapi.json"])
def test_head_answers_as_get_without_a_body(api: TestClient, path: str) -> None:
    params = {"kind": "people"} if path.startswith("/stats/top") else {}
    get, head = api.get(path, params=params), api.head(path, params=params)
    assert head.status_code == get.status_code, head.text
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/healthz", "GET, HEAD"),
        ("/articles", "GET, HEAD, POST"),
        ("/articles/1", "DELETE, GET, HEAD"),
        # /articles/{article_id} matches it too: a GET of it is a 422 for the id, a DELETE a 422.
        ("/articles/batch", "DELETE, GET, HEAD, POST"),
    ],
)
def test_405_lists_every_method_of_the_path_in_allow(api: TestClient, path: str, allowed: str) -> None:
    response = api.request("PUT", path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allowed


def test_the_host_header_is_not_reflected_in_links_or_redirects(api: TestClient) -> None:
    evil = {"Host": "evil.example"}
    page = api.get("/articles", params={"limit": 1}, headers=evil)
    assert page.status_code == 200 and page.headers["link"].startswith("</articles?")
    assert "evil" not in page.headers["link"]
    redirect = api.get("/articles/", headers=evil, follow_redirects=False)
    assert redirect.status_code in (307, 308)
    assert "evil" not in redirect.headers["location"] and redirect.headers["location"].startswith("/articles")


def test_links_use_the_public_base_url_when_one_is_set(api: TestClient) -> None:
    settings = api.app.state.settings.model_copy(update={"public_base_url": "https://news.example.org/"})  # type: ignore[attr-defined]
    with TestClient(create_app(settings)) as client:
        link = client.get("/articles", params={"limit": 1}, headers={"Host": "evil.example"}).headers["link"]
        redirect = client.get("/articles/", follow_redirects=False).headers["location"]
    assert link.startswith("<https://news.example.org/articles?")
    assert redirect.startswith("https://news.example.org/articles")


def test_an_unreachable_queue_is_a_503_that_names_no_address(tmp_path: Path) -> None:
    settings = migrated(
        f"sqlite:///{tmp_path / 'newsmeta.db'}",
        auth_enabled=False,
        extract_workers=1,
        queue_url="redis://127.0.0.1:6390/0",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/articles", params={"async": "true"}, json={"text": "Olaf Scholz spoke."})
    assert response.status_code == 503, response.text
    assert "127.0.0.1" not in response.text and "6390" not in response.text
    assert response.json()["title"]

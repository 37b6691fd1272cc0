"""HTTP from one loopback address per simulated client."""

from __future__ import annotations

import asyncio
import random
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from load.settings import HOST, TIMEOUT


def addresses() -> Iterator[str]:
    """127.1.0.1, 127.1.0.2, …: distinct sources, all on the loopback interface."""
    number = 1 << 16
    while True:
        number += 1
        if number & 0xFF not in (0, 255):
            yield f"127.{number >> 16 & 0xFF}.{number >> 8 & 0xFF}.{number & 0xFF}"


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (connection refused, reset, or timed out)
    text: str
    seconds: float
    at: float
    cookie: str | None = None
    error: str | None = None

    @property
    def thanks(self) -> bool:
        return self.status == 200 and 'class="questionnaire"' not in self.text


@dataclass
class Form:
    cookie: str
    csrf: str
    language: str
    choices: dict[str, list[str]]
    texts: list[str]


def parse_form(reply: Reply) -> Form | None:
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
    language = re.search(r'name="language" value="([^"]+)"', reply.text)
    if reply.status != 200 or not (csrf and language and reply.cookie):
        return None
    choices: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="radio" name="item-([^"]+)" value="([^"]+)"',
                                  reply.text):
        choices.setdefault(name, []).append(value)
    texts = re.findall(r'<textarea id="[^"]+" name="item-([^"]+)"', reply.text)
    return Form(reply.cookie, csrf.group(1), language.group(1), choices, texts)


def choose_answers(form: Form, rng: random.Random) -> dict[str, str]:
    """Most items answered (at least one), the odd one skipped, as people do."""
    answers = {name: rng.choice(options) for name, options in form.choices.items()
               if rng.random() < 0.9}
    answers.update({name: f"ok ✓ نعم {rng.randrange(10**6)}" for name in form.texts
                    if rng.random() < 0.5})
    if not answers:
        name, options = next(iter(form.choices.items()))
        answers[name] = options[0]
    return answers


def changed(answers: dict[str, str], form: Form, rng: random.Random) -> dict[str, str]:
    """The same answers with one choice changed: a second submit after a change of mind."""
    name = rng.choice(sorted(answers.keys() & form.choices.keys()))
    return {**answers, name: rng.choice([o for o in form.choices[name] if o != answers[name]])}


def form_body(form: Form, answers: dict[str, str]) -> bytes:
    fields = [("csrf_token", form.csrf), ("language", form.language),
              *((f"item-{name}", value) for name, value in answers.items()),
              ("action", "submit")]
    return urllib.parse.urlencode(fields).encode()


class Http:
    """aiohttp requests from a given source address; each reply is logged with its time."""

    def __init__(self, port: int, log: list[Reply]):
        import aiohttp

        self.port, self.log, self.aiohttp = port, log, aiohttp
        self.timeout = aiohttp.ClientTimeout(total=TIMEOUT)

    def session(self, address: str):
        connector = self.aiohttp.TCPConnector(local_addr=(address, 0), force_close=True)
        return self.aiohttp.ClientSession(f"http://{HOST}:{self.port}", connector=connector,
                                          cookie_jar=self.aiohttp.DummyCookieJar(),
                                          timeout=self.timeout)

    async def request(self, session, method: str, path: str, *, cookie: str | None = None,
                      body: bytes | None = None) -> Reply:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            async with session.request(method, path, data=body, headers=headers) as response:
                text = await response.text()
                set_cookie = response.headers.get("Set-Cookie")
                reply = Reply(response.status, text, time.perf_counter() - started, started,
                              set_cookie.split(";")[0] if set_cookie else cookie)
        except (self.aiohttp.ClientError, TimeoutError, OSError) as error:
            reply = Reply(0, "", time.perf_counter() - started, started,
                          error=type(error).__name__)
        self.log.append(reply)
        return reply

    async def raw_post(self, address: str, path: str, cookie: str, body: bytes, *,
                       cut: int | None, ending: str) -> int | None:
        """A POST written to a raw socket and dropped: cut short after `cut` bytes of the
        body, or sent whole. `ending`: "reset" (a phone losing signal), "close", or
        "half-close", which still reads the answer: the status is returned then."""
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nCookie: {cookie}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        try:
            reader, writer = await asyncio.open_connection(HOST, self.port,
                                                           local_addr=(address, 0))
            writer.write(head + body[:cut])
            await writer.drain()
            if ending == "half-close":
                writer.write_eof()
                answer = await asyncio.wait_for(reader.read(), TIMEOUT)
                writer.close()
                return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
            await asyncio.sleep(0.01)
            if ending == "reset":
                writer.transport.abort()
            else:
                writer.close()
                await writer.wait_closed()
        except (OSError, TimeoutError):
            pass  # the server went first; the request is dropped either way
        return None

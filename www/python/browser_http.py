"""aiohttp's client, the part Loop Lab's lessons use, over the browser's ``fetch``.

A page cannot open sockets: in a browser every HTTP request is a ``fetch``. So the
lessons' Python, run here by Pyodide, imports this module in aiohttp's place::

    import browser_http as aiohttp  # aiohttp's API over the browser's fetch

and the rest of the program is what a reader writes for CPython with ``import
aiohttp``. It offers::

    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:  # or: response = await session.get(url)
            response.status, response.ok, response.reason, response.url
            response.raise_for_status()  # ClientResponseError on a 4xx or 5xx
            await response.json()  # also .text() and .read()
            async for line in response.content:  # each line (bytes) as it arrives
                ...

**Cancelled, a request is aborted.** Each request has its own ``AbortController``.
When the task awaiting the answer or its body is cancelled (``task.cancel()``, a
``TaskGroup``, ``asyncio.timeout``), the ``CancelledError`` passes through here on
its way up: the request's ``abort()`` is called first, so the browser drops the
connection (DevTools shows it as cancelled) instead of reading an answer nobody
will read. Leaving ``async with session.get(…)`` before the body is read aborts it
too, and so does closing the session: aiohttp closes those connections.

What differs from aiohttp, said rather than hidden:

- connections are the browser's: about six per host over HTTP/1.1, where aiohttp's
  pool allows a hundred (the limit lesson measures it);
- the browser's cache is bypassed (``cache: "no-store"``), as aiohttp has none;
- a failed request raises ``ClientConnectionError`` with the browser's message,
  which says little on purpose (it may not tell a refused connection from CORS).
"""

import asyncio
import json as _json

import js
from pyodide.ffi import to_js

#: Every request made, once over: ``(asked, over, url)``, in page ms
#: (``performance.now()``). run.js clears it before a run and reads it after, so
#: the page can say how many requests the program had out at once.
requests = []

#: Told of each request's start and end, while Loop Lab's tracer records (trace.py
#: sets it, and unsets it after): ``on_request.request_started(key, url)`` and
#: ``on_request.request_ended(key, status, aborted)``. None otherwise.
on_request = None


class ClientError(Exception):
    """Any error of this client (aiohttp.ClientError)."""


class ClientConnectionError(ClientError):
    """The request got no answer: network down, refused, blocked (CORS), aborted."""


class ClientResponseError(ClientError):
    """An answer with an error status, raised by ``raise_for_status()``."""

    def __init__(self, status, message, url):
        super().__init__(f"{status}, message={message!r}, url={url!r}")
        self.status, self.message, self.url = status, message, url


class ClientSession:
    """A session: ``async with ClientSession() as s``; closing it aborts what is still out."""

    def __init__(self):
        self._open = {}  # id -> AbortController of each request not finished yet (a JsProxy is not hashable)
        self.closed = False

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def close(self):
        for controller, _, _ in list(self._open.values()):
            self._finish(controller, abort=True)
        self.closed = True

    def get(self, url):
        """A GET of ``url``: await it, or use it as ``async with``, as in aiohttp."""
        return _RequestContext(self._request("GET", str(url)))

    async def _request(self, method, url):
        if self.closed:
            raise RuntimeError("Session is closed")
        controller = js.AbortController.new()
        self._open[id(controller)] = (controller, js.performance.now(), url)
        if on_request is not None:
            on_request.request_started(id(controller), url)
        options = {"method": method, "signal": controller.signal, "cache": "no-store"}
        try:
            answer = await js.fetch(url, to_js(options, dict_converter=js.Object.fromEntries))
        except asyncio.CancelledError:
            self._finish(controller, abort=True)  # the browser drops the request
            raise
        except Exception as error:  # a rejected fetch arrives as a JsException
            self._finish(controller, abort=False)
            raise ClientConnectionError(f"{method} {url}: {error}") from None
        return ClientResponse(self, answer, controller)

    def _finish(self, controller, abort, status=0):
        if abort:
            controller.abort()
        request = self._open.pop(id(controller), None)
        if request is not None:
            requests.append((request[1], js.performance.now(), request[2]))
            if on_request is not None:
                on_request.request_ended(id(controller), status, abort)


class _RequestContext:
    """What ``session.get`` returns: awaitable (the response), and an async context
    manager that releases the response on the way out, as aiohttp's is."""

    def __init__(self, request):
        self._request = request
        self._response = None

    def __await__(self):
        return self._request.__await__()

    async def __aenter__(self):
        self._response = await self._request
        return self._response

    async def __aexit__(self, *exc):
        self._response.release()


class ClientResponse:
    """An answer: its status and headers arrived; its body is read on demand."""

    def __init__(self, session, answer, controller):
        self._session, self._answer, self._controller = session, answer, controller
        self._done = False
        self.status = answer.status
        self.reason = answer.statusText
        self.url = answer.url
        self.ok = self.status < 400  # aiohttp's meaning, not fetch's (2xx only)
        self.content = StreamReader(self)

    def raise_for_status(self):
        if not self.ok:
            self.release()
            raise ClientResponseError(self.status, self.reason, self.url)

    async def read(self):
        buffer = await self._await(self._answer.arrayBuffer())
        self._finish()
        return buffer.to_bytes()

    async def text(self, encoding="utf-8"):
        return (await self.read()).decode(encoding)

    async def json(self):
        return _json.loads(await self.text())

    def release(self):
        """Done with this answer: a body not read to its end is aborted (aiohttp
        closes such a connection rather than reuse it)."""
        if not self._done:
            self._session._finish(self._controller, abort=True)
            self._done = True

    def _finish(self):
        self._done = True
        self._session._finish(self._controller, abort=False, status=self.status)

    async def _await(self, promise):
        """Awaits a promise of the body; cancelled, the request is aborted first."""
        try:
            return await promise
        except asyncio.CancelledError:
            self.release()
            raise
        except Exception as error:
            self.release()
            raise ClientConnectionError(f"reading {self.url}: {error}") from None


class StreamReader:
    """``response.content``: the body as it arrives. ``async for line in content``
    hands over each line (bytes, its ``b"\\n"`` included) as soon as it is complete."""

    def __init__(self, response):
        self._response = response
        self._reader = None
        self._buffer = b""
        self._eof = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        line = await self.readline()
        if not line:
            raise StopAsyncIteration
        return line

    async def readline(self):
        while b"\n" not in self._buffer and not self._eof:
            await self._more()
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line

    async def read(self, n=-1):
        while not self._eof and (n < 0 or len(self._buffer) < n):
            await self._more()
        end = len(self._buffer) if n < 0 else n
        data, self._buffer = self._buffer[:end], self._buffer[end:]
        return data

    async def _more(self):
        """Waits for the next piece of the body the network delivers."""
        if self._reader is None:
            self._reader = self._response._answer.body.getReader()
        chunk = await self._response._await(self._reader.read())
        if chunk.done:
            self._eof = True
            self._response._finish()
        else:
            self._buffer += chunk.value.to_bytes()

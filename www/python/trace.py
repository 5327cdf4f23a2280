"""Loop Lab's tracer for asyncio on Pyodide: every task's steps, wakes and outcome.

asyncio runs a task in *steps*: the loop calls ``coro.send(None)`` (or
``coro.throw(exc)`` to deliver a cancellation), the coroutine runs until its next
``await`` of something not ready, and hands the loop back a future to wait on.
When that future completes, it schedules the task's next step with
``loop.call_soon``. So two small hooks see everything, without touching the
program's code:

1. **``loop.create_task``**: every task the program makes (``create_task``,
   ``gather``, a ``TaskGroup``, ``asyncio.run``'s main) gets its coroutine
   wrapped in a ``Traced`` object. (Not ``set_task_factory``: the WebLoop calls
   a factory without the task's ``context``, and the program may set its own.)
   ``Traced`` implements the coroutine protocol (``send``, ``throw``, ``close``,
   ``__await__``) by passing each call through, and stamps the step's start and
   end around it. Its outcome is read off the step that ends it:
   ``StopIteration`` is *done*,
   ``CancelledError`` *cancelled*, anything else *failed*. The same exception
   object is re-raised, so return values, errors and cancellation reach the task
   unchanged.
2. **``loop.call_later``** (Pyodide's WebLoop routes ``call_soon`` and
   ``call_at`` through it, each a browser ``setTimeout``): when the callback is
   a traced task's step or wakeup, the task was just *woken*. By what is read
   from where the call comes from: a task's own step (a ``sleep(0)`` wakes
   itself), another task's step (it completed, or cancelled this one), or a
   callback that was itself scheduled by a timer or a task; the origin is
   carried through such plain callbacks (``gather``'s bookkeeping, a timer's
   ``set_result``) by wrapping them.

3. **What each task waits on, and where** (``looplab_waits``, ``waits.py``): at
   the end of a step that leaves the task parked, the future it handed the loop
   and its chain of awaits; a ``sleep``'s timer is known from its ``call_later``,
   a request from ``browser_http``, which tells its start and end to
   ``browser_http.on_request`` while a recording is on.

Times are ``time.monotonic()`` in ms plus an offset measured at ``start()``:
on Pyodide the monotonic clock *is* ``performance.now()``, so the record is on
the page's clock, the same as the Rust record's, at no cost per event.

Untraced, Pyodide is untouched: ``stop()`` removes the hooks.
"""

import asyncio
import os
import time
from asyncio import futures
from collections.abc import Coroutine

import _pyodide
import browser_http
import pyodide
from js import performance
from looplab_waits import Waits

# Where Pyodide's own Python lives (its runner of top-level code is in _pyodide).
_PYODIDE_DIRS = tuple(os.path.dirname(m.__file__) + "/" for m in (pyodide, _pyodide))

# Events are kept as flat tuples while the program runs (cheap to append), and
# turned into dicts by ``Recorder.export`` once it is over.
CREATED, POLL_START, POLL_END, WAKE, DONE, FAILED, CANCELLED = range(7)
WAIT, WAIT_END, FETCH_START, FETCH_END, FETCH_ABORT = range(7, 12)
KIND_NAMES = ("created", "poll_start", "poll_end", "wake", "done", "failed", "cancelled")
KIND_NAMES += ("wait", "wait_end", "fetch_start", "fetch_end", "fetch_abort")

# The extra fields of the commonest events, shared (``export`` copies them).
_READY, _NOT_READY = {"ready": True}, {"ready": False}
_SPAWN, _SELF, _UNKNOWN = {"cause": "spawn"}, {"cause": "self"}, {"cause": "unknown"}
_FETCH = {"cause": "fetch"}

# The callback ``asyncio.sleep`` gives ``call_later``, with the future it awaits.
_SLEEP_DONE = futures._set_result_unless_cancelled

#: At most this many events per run, as the Rust record's default cap.
CAP = 1_000_000

_recorder = None  # the Recorder of the run in progress, if any
_origin = None  # while a wrapped callback runs: what scheduled it, ("timer", deadline) or ("task", id)


class Recorder:
    """The record of one run: tasks, events, waits and the bookkeeping to fill them."""

    WAIT, WAIT_END, FETCH_START, FETCH_END, FETCH_ABORT = WAIT, WAIT_END, FETCH_START, FETCH_END, FETCH_ABORT

    def __init__(self, cap=CAP):
        self.offset = performance.now() - time.monotonic() * 1000
        self.origin = self.now()
        self.cap = cap
        self.tasks = []  # [task object or None, fallback name, parent id]
        self.ids = {}  # task object -> id
        self.polled = []  # id -> whether it has had a step yet
        self.events = []
        self.dropped = 0
        self.waits = Waits(self)

    def now(self):
        return time.monotonic() * 1000 + self.offset

    def push(self, task, kind, extra=None):
        if len(self.events) < self.cap:
            self.events.append((self.now(), task, kind, extra))
        else:
            self.dropped += 1

    def push_at(self, t, task, kind, extra):
        if len(self.events) < self.cap:
            self.events.append((t, task, kind, extra))
        else:
            self.dropped += 1

    def task_id(self, task):
        """The id of a traced task of this run, or None."""
        return _task_id(self, task)

    def add_task(self, coro, loop):
        parent = self.ids.get(asyncio.current_task(loop))
        name = getattr(coro, "__qualname__", None) or type(coro).__name__
        self.tasks.append([None, name, parent])
        self.polled.append(False)
        self.waits.open.append([])
        self.waits.yielded.append(-1)
        task_id = len(self.tasks) - 1
        self.push(task_id, CREATED)
        return task_id

    def export(self, events_from=0, waits_from=0):
        """The record as plain data (see run.js for the format); with ``events_from``
        and ``waits_from``, only the events and waits from those indexes on (every
        task, though: a name may have been set since)."""
        tasks = []
        for task, fallback, parent in self.tasks:
            given = task.get_name() if task is not None else ""
            # asyncio names unnamed tasks "Task-<n>": the coroutine's name says more.
            name = fallback if given.startswith("Task-") and given[5:].isdigit() else given
            tasks.append({"name": name, "parent": parent})
        events = []
        for t, task, kind, extra in self.events[events_from:]:
            event = {"t": t, "task": task, "kind": KIND_NAMES[kind]}
            if kind == WAIT or kind == WAIT_END:
                event["wait"] = extra
            elif extra:
                event.update(extra)
            events.append(event)
        waits = self.waits.export(waits_from)
        return {"language": "python", "origin": self.origin, "tasks": tasks, "events": events, "waits": waits, "dropped": self.dropped}


class Traced(Coroutine):
    """A task's coroutine, stamped around each step; behaves exactly as the one it wraps."""

    __slots__ = ("_coro", "_id", "_rec")

    def __init__(self, coro, task_id, rec):
        self._coro = coro
        self._id = task_id
        self._rec = rec  # a task left running by an earlier run is not this run's

    def __getattr__(self, name):
        # cr_frame, cr_code, __qualname__, …: what asyncio's reprs and debuggers read.
        return getattr(self._coro, name)

    def send(self, value):
        return _step(self, self._coro.send, value)

    def throw(self, typ, val=None, tb=None):
        cancelled = isinstance(typ, asyncio.CancelledError) or isinstance(val, asyncio.CancelledError)
        if val is None and tb is None:
            return _step(self, self._coro.throw, typ, cancelled)
        return _step(self, lambda _: self._coro.throw(typ, val, tb), None, cancelled)

    def close(self):
        return self._coro.close()

    def __await__(self):
        return self._coro.__await__()


def _step(traced, call, arg, cancelled=False):
    """One step of a traced task: ``call(arg)``, with its start, end, any outcome,
    and what it waits on when it parks (``cancelled``: the step delivers a cancellation)."""
    rec, task_id = traced._rec, traced._id
    if rec is not _recorder:  # its run is over (the task was left running): pass through
        return call(arg)
    rec.polled[task_id] = True
    waits = rec.waits
    t = rec.now()
    if cancelled or waits.open[task_id]:
        waits.stepping(task_id, cancelled, t)
    rec.push_at(t, task_id, POLL_START, None)
    try:
        result = call(arg)
    except StopIteration:
        _outcome(rec, task_id, DONE, None)
        raise
    except asyncio.CancelledError:
        _outcome(rec, task_id, CANCELLED, None)
        raise
    except BaseException as error:
        _outcome(rec, task_id, FAILED, {"message": f"{type(error).__name__}: {error}"})
        raise
    t = rec.now()
    waits.parked(task_id, traced._coro, result, t)
    rec.push_at(t, task_id, POLL_END, _NOT_READY)
    return result


def _outcome(rec, task_id, kind, extra):
    """The step that ends a task: its end, its outcome, its waits over."""
    t = rec.now()
    rec.push_at(t, task_id, POLL_END, _READY)
    rec.push_at(t, task_id, kind, extra)
    rec.waits.over(task_id)


def _traced_create_task(loop, original):
    """``loop.create_task`` that registers the task and wraps its coroutine."""

    def create_task(coro, **kwargs):
        rec = _recorder
        if rec is None or _is_pyodides(coro):
            return original(coro, **kwargs)
        task_id = rec.add_task(coro, loop)
        task = original(Traced(coro, task_id, rec), **kwargs)
        rec.tasks[task_id][0] = task
        rec.ids[task] = task_id
        return task

    return create_task


def _is_pyodides(coro):
    """Whether Pyodide itself made this coroutine: runPythonAsync's runner of the
    top-level code, which is suspended (not running) while ``asyncio.run`` waits."""
    code = getattr(coro, "cr_code", None)
    return code is not None and code.co_filename.startswith(_PYODIDE_DIRS)


class _WithOrigin:
    """A plain callback that remembers what scheduled it, and says so while it runs."""

    __slots__ = ("callback", "origin", "rec")

    def __init__(self, callback, origin, rec):
        self.callback = callback
        self.origin = origin
        self.rec = rec

    def __call__(self, *args):
        global _origin
        outer, _origin = _origin, (self.origin if self.rec is _recorder else None)
        try:
            return self.callback(*args)
        finally:
            _origin = outer


def _traced_call_later(loop, original):
    """``loop.call_later`` that records task wakes and carries origins (see the module doc)."""

    def call_later(delay, callback, *args, context=None):
        rec = _recorder
        if rec is None:
            return original(delay, callback, *args, context=context)
        running = rec.ids.get(asyncio.current_task(loop))
        origin = ("task", running) if running is not None else _origin
        woken = _task_id(rec, getattr(callback, "__self__", None))
        if woken is not None:
            cause = _cause(rec, woken, origin)
            rec.push(woken, WAKE, cause)
            if rec.waits.open[woken]:
                rec.waits.woken(woken, cause)
        elif delay > 0:
            deadline = rec.now() + delay * 1000
            if callback is _SLEEP_DONE and args:  # asyncio.sleep's timer: what its task will wait on
                rec.waits.timers[id(args[0])] = (args[0], delay * 1000, deadline)
            callback = _WithOrigin(callback, ("timer", deadline), rec)
        elif origin is not None:
            callback = _WithOrigin(callback, origin, rec)
        return original(delay, callback, *args, context=context)

    return call_later


def _task_id(rec, task):
    """The id of a traced task, also while ``create_task`` is still making it
    (``Task.__init__`` schedules the first step before it returns)."""
    task_id = rec.ids.get(task)
    if task_id is None and isinstance(task, asyncio.Task):
        coro = task.get_coro()
        if type(coro) is Traced and coro._rec is rec:
            task_id = coro._id
    return task_id


def _cause(rec, woken, origin):
    """The wake event's fields: ``cause`` and, by cause, ``late_ms`` or ``by``."""
    if not rec.polled[woken]:
        return _SPAWN
    if origin is None:  # from outside Python: a JavaScript promise, such as a request's answer
        return _FETCH if rec.waits.fetching(woken) else _UNKNOWN
    what, value = origin
    if what == "timer":
        return {"cause": "timer", "late_ms": max(0.0, rec.now() - value)}
    if value == woken:
        return _SELF
    return {"cause": "task", "by": value}


def start():
    """Starts recording on the running loop; returns the new Recorder."""
    global _recorder
    loop = asyncio.get_event_loop()
    _recorder = Recorder()
    loop.create_task = _traced_create_task(loop, type(loop).create_task.__get__(loop))
    loop.call_later = _traced_call_later(loop, type(loop).call_later.__get__(loop))
    browser_http.on_request = _recorder.waits
    return _recorder


def progress(events_from, waits_from):
    """What the run in progress recorded since those indexes (``Recorder.export``), for
    the page to paint it live; None when nothing records. The page calls it between
    the loop's steps (a timer of its own), so no step is ever cut in two."""
    rec = _recorder
    return rec.export(events_from, waits_from) if rec is not None else None


def stop():
    """Stops recording and removes the hooks; returns the record as plain data."""
    global _recorder
    rec, _recorder = _recorder, None
    browser_http.on_request = None
    loop = asyncio.get_event_loop()
    loop.__dict__.pop("create_task", None)
    loop.__dict__.pop("call_later", None)
    return rec.export() if rec is not None else None

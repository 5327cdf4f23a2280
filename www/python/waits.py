"""What each traced asyncio task waits on, and at which line of the program: the
Python run's answer to *why*, as ``src/runtime/waits.rs`` is the Rust run's.

A task parks when a step of its coroutine ends not done: the step hands the loop
the future it awaits (or ``None``: a bare ``yield``, which is ``asyncio.sleep(0)``).
So at the end of such a step (``trace.py``'s ``_step``) the tracer reads

- **on what**, from that future: a sleep's timer (``trace.py`` sees ``sleep`` ask
  ``call_later`` for it, with its delay and deadline on the page clock), a traced
  task (``await task``), a ``gather`` (one wait per task it gathers that is still
  running, as Rust's ``join_all`` makes one per handle), a request of
  ``browser_http`` (which says when a request starts and ends), a lock, semaphore,
  event, condition or queue (``asyncio/locks.py``, ``asyncio/queues.py``), and else
  a few words: "TaskGroup: its tasks to finish", "as_completed: …";
- **where**, by walking the chain of awaits (``cr_await``, and ``gi_yieldfrom``
  for generator-based coroutines) from the task's coroutine inward, to the first
  frame of the program (``main.py``): its ``f_lineno`` is the line the task is
  suspended at, *in its own code*. A task that awaits ``greet()`` is parked at the
  ``await greet(…)`` line, even while the sleep inside ``greet`` is what it waits
  for; the Rust twin of such a line is where the Rust task awaits the same thing
  (the lesson's ``awaits`` pairs, mapped by ``src/app/python.rs``).

A wait ends as ``src/trace/state/waits.rs`` reads it from the record's events:
a timer at the task's wake by a timer, a task at the wake by that task (or its
outcome, for its parent), a yield, lock or anything else at the task's next step,
a request at its end or abort. What those events do not end (the sleep of a task
cancelled while it slept, a gather left early because a sibling failed) is ended
here, with a ``wait_end`` event when the task is next stepped: the future it
awaited was cancelled, or is no longer awaited. To know which, this module keeps
the open waits of each task and closes them on the same events, in the same order.
"""

import asyncio
import os
import types

from asyncio import locks, queues, taskgroups
from asyncio import tasks as _tasks

#: The file name the program runs under (run.js passes it to runPythonAsync).
MAIN = "main.py"

YIELD, LOCK = ("yield",), ("lock",)
_COROUTINE, _GENERATOR = types.CoroutineType, types.GeneratorType

# Where asyncio parks a task on a plain future, said in words (found in the chain).
_SAID = {
    taskgroups.TaskGroup._aexit.__code__: "TaskGroup: its tasks to finish",
    _tasks._AsCompletedIterator._wait_for_one.__code__: "as_completed: the next to finish",
    _tasks._wait.__code__: "asyncio.wait: its tasks",
}
_LOCK_FILES = frozenset(f for m in (locks, queues) for f in (m.__file__, os.path.abspath(m.__file__)))


class Waits:
    """The waits of one recording, and each task's open ones."""

    __slots__ = ("rec", "all", "open", "yielded", "timers", "requests")

    def __init__(self, rec):
        self.rec = rec
        self.all = []  # (task, on, python line); on: see ``export``
        self.open = []  # task id -> indices in ``all`` of its open waits, but yields
        self.yielded = []  # task id -> its yield, if its last park was one, else -1
        self.timers = {}  # id(future) -> (future, delay_ms, deadline): sleeps not yet awaited
        self.requests = {}  # key -> [task, url, wait index or None]: requests in flight

    # -- a wait begins ----------------------------------------------------------

    def parked(self, task, coro, result, t):
        """A step of ``task`` (whose coroutine is ``coro``) ended at ``t``, handing
        the loop ``result``: notes what it waits on, and where."""
        line, codes = _where(coro)
        if result is None:
            # Not kept open: the next step ends it, unless that step cancels (``stepping``).
            self.yielded[task] = self.begin(task, YIELD, line, t, keep=False)
            return None
        self.yielded[task] = -1
        timer = self.timers.pop(id(result), None)
        if timer is not None and timer[0] is result:
            return self.begin(task, ("timer", timer[1], timer[2]), line, t)
        if isinstance(result, asyncio.Task):
            other = self.rec.task_id(result)
            on = ("task", other) if other is not None else ("other", "a task Loop Lab does not trace")
            return self.begin(task, on, line, t)
        if isinstance(result, _tasks._GatheringFuture):
            return self.gathered(task, result, line, t)
        for code in codes:
            said = _SAID.get(code)
            if said is not None:
                return self.begin(task, ("other", said), line, t)
        if codes and codes[-1].co_filename in _LOCK_FILES:
            return self.begin(task, LOCK, line, t)
        request = self.request_of(task)
        if request is not None:
            if request[2] is None:  # else: the same request's wait goes on (its body now)
                request[2] = self.begin(task, ("fetch", request[1]), line, t)
            return None
        leaf = codes[-1].co_qualname if codes and codes[-1].co_filename != MAIN else type(result).__name__
        return self.begin(task, ("other", f"a {leaf}"), line, t)

    def gathered(self, task, gathering, line, t):
        """``await asyncio.gather(…)``: one wait per traced task still running."""
        running = [self.rec.task_id(c) for c in gathering._children if not c.done()]
        ids = [i for i in running if i is not None]
        if not ids:
            return self.begin(task, ("other", f"gather of {len(gathering._children)}"), line, t)
        for other in ids:
            self.begin(task, ("task", other), line, t)
        return None

    def begin(self, task, on, line, t, keep=True):
        rec = self.rec
        if len(self.all) >= rec.cap:
            rec.dropped += 1
            return -1
        index = len(self.all)
        self.all.append((task, on, line))
        if keep:
            self.open[task].append(index)
        rec.push_at(t, task, rec.WAIT, index)
        return index

    def request_of(self, task):
        """The request ``task`` started last and has not finished, if any."""
        found = None
        for request in self.requests.values():
            if request[0] == task:
                found = request
        return found

    # -- a wait ends ------------------------------------------------------------

    def stepping(self, task, cancelled, t):
        """``task`` is stepped again at ``t`` (``cancelled``: to deliver a
        cancellation): ends, with ``wait_end``, the waits its events did not end."""
        if cancelled and self.yielded[task] >= 0:
            self.rec.push_at(t, task, self.rec.WAIT_END, self.yielded[task])
        keep = []
        for index in self.open[task]:
            kind = self.all[index][1][0]
            if kind == "fetch":
                keep.append(index)  # the request goes on until it ends or is aborted
            elif cancelled or kind in ("timer", "task"):
                self.rec.push_at(t, task, self.rec.WAIT_END, index)
            # else a lock or something else: the step itself ends it
        self.open[task] = keep

    def woken(self, task, cause):
        """``task`` was woken (its wake event's fields ``cause``)."""
        kind = cause["cause"]
        if kind == "timer":
            timers = [i for i in self.open[task] if self.all[i][1][0] == "timer"]
            if timers:
                self.open[task].remove(min(timers, key=lambda i: self.all[i][1][2]))
        elif kind == "task":
            self.close(task, ("task", cause["by"]))

    def over(self, task):
        """``task`` reached its outcome: its waits are over, and its parent's wait on it."""
        self.open[task].clear()
        parent = self.rec.tasks[task][2]
        if parent is not None:
            self.close(parent, ("task", task))

    def close(self, task, on):
        """Closes the oldest open wait of ``task`` on ``on``."""
        for index in self.open[task]:
            if self.all[index][1] == on:
                self.open[task].remove(index)
                return

    # -- browser_http's hook ----------------------------------------------------

    def request_started(self, key, url):
        rec = self.rec
        task = rec.task_id(asyncio.current_task())
        if task is not None:
            self.requests[key] = [task, url, None]
            rec.push_at(rec.now(), task, rec.FETCH_START, None)

    def request_ended(self, key, status, aborted):
        rec = self.rec
        request = self.requests.pop(key, None)
        if request is None:
            return
        task = request[0]
        if aborted:
            rec.push_at(rec.now(), task, rec.FETCH_ABORT, None)
        else:
            rec.push_at(rec.now(), task, rec.FETCH_END, {"ok": 200 <= status < 300, "status": status})
        fetches = [i for i in self.open[task] if self.all[i][1][0] == "fetch"]
        if fetches:
            self.open[task].remove(fetches[0])

    def fetching(self, task):
        """Whether ``task`` has a request in flight (a wake from outside is its answer)."""
        return any(r[0] == task for r in self.requests.values())

    def export(self, start=0):
        """Every wait from index ``start`` on as plain data: ``{task, on, line, …}`` (see run.js)."""
        out = []
        for task, on, line in self.all[start:]:
            wait = {"task": task, "on": on[0], "line": line}
            if on[0] == "timer":
                wait.update(delay_ms=on[1], deadline=on[2])
            elif on[0] == "fetch":
                wait["url"] = on[1]
            elif on[0] == "task":
                wait["id"] = on[1]
            elif on[0] == "other":
                wait["what"] = on[1]
            out.append(wait)
        return out


def _where(coro):
    """The line of the program a task is suspended at (the first frame of ``main.py``
    in its chain of awaits, going inward; 0 if none), and the chain's code objects."""
    line = 0
    codes = []
    while True:
        kind = type(coro)
        if kind is _COROUTINE:
            code, frame, coro = coro.cr_code, coro.cr_frame, coro.cr_await
        elif kind is _GENERATOR:
            code, frame, coro = coro.gi_code, coro.gi_frame, coro.gi_yieldfrom
        else:  # a future's iterator, or something the chain cannot be followed through
            return line, codes
        codes.append(code)
        if not line and frame is not None and code.co_filename == MAIN:
            line = frame.f_lineno

"""Background jobs with live progress: imports now, generated reports later.

A job is a row (`Job`: kind, user, parameters, status, result) and a registered function
(`registry.job`). `start()` creates the row and hands it to the configured backend:

- "inline"  runs it at once in the request (tests, small deployments' management commands);
- "thread"  runs it in a thread of the web process (the default without Redis: one process);
- "celery"  sends it to Celery workers (the default when REDIS_URL is set).

While it runs the function reports progress (phase, done, total) to the cache, which pages
poll through htmx; the row holds the outcome. Only the user who started a job sees it.
"""

"""``python -m playground``: the thread pools are limited before anything loads NumPy."""

from playground.threads import limit_thread_pools

if __name__ == "__main__":  # a training process re-imports this module: it must do nothing
    limit_thread_pools()
    from playground.cli import main

    raise SystemExit(main())

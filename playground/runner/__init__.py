"""What runs a playground for the window: the service every user action calls, without Qt.

The window reaches the session only through :class:`~playground.runner.service.Service`
calls with plain arguments, so the same calls can run in the window's process or in a
training process of its own.
"""

"""Listener modules: each has `register(app, ctx)`; `bot.app.LISTENER_MODULES` lists them in order."""

"""Reminders as notifications on people's phones (Web Push).

- models.py   a subscribed browser (PushSubscription) and what was sent (SentReminder)
- keys.py     the server's VAPID key pair, made once in DATA_DIR
- forms.py    checking what a browser sends when it subscribes; its name ("Chrome on Android")
- sending.py  sending one message, and everything due now, once (send_due)
- views.py    the account page's card: subscribe, unsubscribe, remove a phone, send a test
- management/commands/send_reminders.py   the runner, for cron or run.py (--every 60)

What is due, and when, is kefir_tracker/reminders/due.py's; the browser's side is
static/js/push.js (the card) and templates/sw.js (the notification and its tap).
"""

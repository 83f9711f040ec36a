"""A mail backend whose server refuses every message, as an SMTP server that is down does."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

attempts = []


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        attempts.extend(message.to[0] for message in email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

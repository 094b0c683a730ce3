#!/usr/bin/python3
"""A local SMTP server for the notification tests (Debian python3-aiosmtpd).

    notify-smtp.py PORT OUT [DELAY_MS]

Listens on 127.0.0.1:PORT and appends one JSON line per message accepted
to OUT: {"message_id", "from", "to", "subject", "body"} (the body decoded
from its transfer encoding). DELAY_MS makes it wait before answering the
end of the data, so a test can kill the sender in the middle of a batch.
The line is written before the 250 is answered: what the sender took as
accepted is always in OUT.
"""
import asyncio
import email
import email.policy
import json
import signal
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, out, delay):
        self.out = out
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay / 1000)
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        rec = {
            'message_id': msg['Message-ID'],
            'from': envelope.mail_from,
            'to': envelope.rcpt_tos,
            'subject': str(msg['Subject']),
            'body': msg.get_content(),
        }
        with open(self.out, 'a', encoding='utf-8') as f:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        return '250 OK'


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    delay = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    ctl = Controller(Recorder(out, delay), hostname='127.0.0.1', port=port)
    ctl.start()
    print('ready', flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    ctl.stop()


if __name__ == '__main__':
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()

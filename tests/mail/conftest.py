import socket

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """A real SMTP server in the test process that keeps what it receives."""
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    with socket.socket() as probe:     # Controller(port=0) does not work: pick a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, sink
    controller.stop()

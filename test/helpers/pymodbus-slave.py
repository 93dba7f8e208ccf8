"""An RTU slave written by someone else: Debian's python3-pymodbus (3.0) on a serial port.

Vigil's interop tests run it on one end of a socat pty pair, so the master is checked against
an implementation nobody here wrote. Usage:

    /usr/bin/python3 pymodbus-slave.py --port PATH --map JSON [--baud N] [--parity N|E|O]
                                       [--bytesize 8] [--stopbits 1] [--trace FILE]

--map is {"<slave id>": {"holding"|"input"|"coil"|"discrete": {"<wire address>": value}}}.
Only the listed addresses exist: reading any other one is answered with exception 2, the way
meters and drives with holes in their register map answer. Slave ids not in the map never
answer (a dead slave on the bus).

Commands on stdin, one per line, each acknowledged with "ok <command>" on stdout:
    corrupt N     damage the CRC of the next N answers
    mute ID       stop answering for slave ID (unmute ID answers again)
    dump          write the trace (see below) to the --trace file

The trace has one line per event, with time.perf_counter_ns(): "rx <ns> <bytes>" when request
bytes arrive, "tx <ns> <bytes>" right after an answer was handed to the port.
"""

import argparse
import asyncio
import json
import logging
import signal
import sys
import threading
import time

from pymodbus.datastore import (
    ModbusServerContext,
    ModbusSlaveContext,
    ModbusSparseDataBlock,
)
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.server.async_io import ModbusSerialServer, ModbusSingleRequestHandler

TABLES = {"holding": "hr", "input": "ir", "coil": "co", "discrete": "di"}

state = {"corrupt": 0, "muted": set(), "trace": []}


class TracingHandler(ModbusSingleRequestHandler):
    """The stock serial handler, with time stamps and the faults a test asks for."""

    def data_received(self, data):
        state["trace"].append(f"rx {time.perf_counter_ns()} {len(data)}")
        super().data_received(data)

    def _send_(self, data):
        if self.transport is None or (len(data) > 0 and data[0] in state["muted"]):
            return
        if state["corrupt"] > 0:
            state["corrupt"] -= 1
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        self.transport.write(data)
        state["trace"].append(f"tx {time.perf_counter_ns()} {len(data)}")


def context_from(spec):
    slaves = {}
    for slave_id, tables in spec.items():
        blocks = {}
        for name, short in TABLES.items():
            values = {int(a): int(v) for a, v in tables.get(name, {}).items()}
            blocks[short] = ModbusSparseDataBlock(values)
        # zero_mode: wire address N is address N of the block (pymodbus adds 1 otherwise).
        slaves[int(slave_id)] = ModbusSlaveContext(zero_mode=True, **blocks)
    return ModbusServerContext(slaves=slaves, single=False)


def reply(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def command(line, trace_path):
    words = line.split()
    if not words:
        return
    if words[0] == "corrupt":
        state["corrupt"] += int(words[1])
    elif words[0] == "mute":
        state["muted"].add(int(words[1]))
    elif words[0] == "unmute":
        state["muted"].discard(int(words[1]))
    elif words[0] == "dump":
        with open(trace_path, "w", encoding="ascii") as out:
            out.write("\n".join(state["trace"]) + "\n")
    else:
        reply(f"error unknown command {words[0]}")
        return
    reply("ok " + line.strip())


def read_commands(loop, stop, trace_path):
    for line in sys.stdin:
        loop.call_soon_threadsafe(command, line, trace_path)
    # The test closed our stdin (or died): it is done with us.
    loop.call_soon_threadsafe(stop.set)


async def main(args):
    server = ModbusSerialServer(
        context_from(json.loads(args.map)),
        ModbusRtuFramer,
        port=args.port,
        baudrate=args.baud,
        bytesize=args.bytesize,
        parity=args.parity,
        stopbits=args.stopbits,
        ignore_missing_slaves=True,
        handler=TracingHandler,
    )
    await server.start()
    if server.transport is None:
        reply(f"error cannot open {args.port}")
        return
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    threading.Thread(target=read_commands, args=(loop, stop, args.trace), daemon=True).start()
    reply("ready")
    await stop.wait()
    await server.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", required=True)
    parser.add_argument("--map", required=True)
    parser.add_argument("--baud", type=int, default=19200)
    parser.add_argument("--bytesize", type=int, default=8)
    parser.add_argument("--parity", default="N")
    parser.add_argument("--stopbits", type=int, default=1)
    parser.add_argument("--trace", default="")
    # pymodbus logs every exception it answers at ERROR level: that is the tests' point, not news.
    logging.getLogger().setLevel(logging.CRITICAL)
    asyncio.run(main(parser.parse_args()))

#!/usr/bin/env python3
# The smallest useful external containerizer program: it runs Mesos' command
# executor for command tasks, on the host. The agent runs `tiny_containerizer.py
# <command>`; protobufs come and go framed by a 4-byte native-endian length.
import os, signal, struct, subprocess, sys, time

def read():  # One framed message from stdin.
    (size,) = struct.unpack('=I', sys.stdin.buffer.read(4))
    return sys.stdin.buffer.read(size)

def send(data):  # One framed message to stdout.
    sys.stdout.buffer.write(struct.pack('=I', len(data)) + data)

def varint(n):
    return bytes([n & 0x7f | 0x80]) + varint(n >> 7) if n > 0x7f else bytes([n])

def container(message):  # Every input starts with ContainerID{value} as field 1.
    return message[4:4 + message[3]].decode()

state = os.path.join(os.environ['MESOS_WORK_DIRECTORY'], 'tiny-containerizer')
path = lambda cid, name: os.path.join(state, cid, name)
command = sys.argv[1]

if command == 'launch':  # Start the executor and return: `wait` reaps it.
    cid = container(read())
    os.makedirs(os.path.join(state, cid))
    ready, done = os.pipe()
    if os.fork() == 0:  # A monitor in its own session outlives this call.
        os.setsid()
        libexec = os.environ['MESOS_LIBEXEC_DIRECTORY']
        with open('stdout', 'ab') as out, open('stderr', 'ab') as err:
            executor = subprocess.Popen(
                [libexec + '/mesos-executor', '--launcher_dir=' + libexec],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        open(path(cid, 'pid'), 'w').write(str(executor.pid))
        os.write(done, b'!')
        _, status = os.waitpid(executor.pid, 0)
        open(path(cid, 'status.new'), 'w').write(str(status))
        os.rename(path(cid, 'status.new'), path(cid, 'status'))
        os._exit(0)
    os.read(ready, 1)
elif command == 'wait':  # Block until the executor ended: a Termination.
    cid = container(read())
    while not os.path.exists(path(cid, 'status')):
        time.sleep(0.05)
    status = int(open(path(cid, 'status')).read())
    send(b'\x08\x00\x12\x00\x18' + varint(status))  # killed, message, status
elif command == 'destroy':
    cid = container(read())
    try:
        os.killpg(int(open(path(cid, 'pid')).read()), signal.SIGKILL)
    except (OSError, ValueError):
        pass  # Never started, or already gone.
elif command == 'usage':  # A ResourceStatistics with only its timestamp.
    read()
    send(b'\x09' + struct.pack('<d', time.time()))
elif command == 'containers':  # The ones not ended yet.
    live = [c for c in os.listdir(state) if not os.path.exists(path(c, 'status'))] \
        if os.path.isdir(state) else []
    ids = [b'\x0a' + varint(len(c)) + c.encode() for c in live]
    send(b''.join(b'\x0a' + varint(len(i)) + i for i in ids))
elif command == 'update':
    read()
elif command != 'recover':
    sys.exit('unknown command ' + command)

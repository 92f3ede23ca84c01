#!/usr/bin/env python3
"""An external containerizer program (ECP) in plain Python 3.

The agent runs `test_containerizer.py <command>` for each of launch,
update, usage, wait, destroy, containers and recover. A protobuf comes on
stdin and, for usage/wait/containers, one goes back on stdout, each after
its length as a native-endian 4-byte unsigned integer. Rather than needing
the protobuf package, this decodes the few fields it reads by hand.

Executors run on the host, each in its own process group. `launch` forks a
monitor that holds an exclusive lock on the container's state directory
until it has written the executor's wait status; `wait` takes a shared lock,
so it blocks until then. State: $MESOS_WORK_DIRECTORY/test-containerizer-py/.
"""

import fcntl, os, shutil, signal, struct, subprocess, sys, time

PROG = 'test_containerizer.py'

class Failure(Exception):
    pass

def receive():  # One framed message from stdin.
    size = sys.stdin.buffer.read(4)
    if len(size) < 4:
        raise Failure('Expected 4 bytes protobuf size over stdin. Received %d bytes.' % len(size))
    (size,) = struct.unpack('=I', size)
    if size == 0:
        raise Failure('Expected protobuf size over stdin. Received 0 bytes.')
    data = sys.stdin.buffer.read(size)
    if len(data) != size:
        raise Failure('Expected %d bytes protobuf over stdin. Received %d bytes.' % (size, len(data)))
    return data

def send(data):  # One framed message to stdout.
    sys.stdout.buffer.write(struct.pack('=I', len(data)) + data)
    sys.stdout.buffer.flush()

# The protobuf wire format: varints, 64-bit values and length-delimited bytes.
def varint(buf, i):
    value = shift = 0
    while i < len(buf):
        value, shift, i = value | (buf[i] & 0x7f) << shift, shift + 7, i + 1
        if buf[i - 1] < 0x80:
            return value, i
    raise Failure('Could not deserialise protobuf: truncated varint')

def fields(buf):  # [(field number, int or bytes)]
    out, i = [], 0
    while i < len(buf):
        key, i = varint(buf, i)
        if key & 7 == 0:
            value, i = varint(buf, i)
        elif key & 7 in (1, 5):
            size = 8 if key & 7 == 1 else 4
            value, i = buf[i:i + size], i + size
        elif key & 7 == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        else:
            raise Failure('Could not deserialise protobuf: wire type %d' % (key & 7))
        if i > len(buf):
            raise Failure('Could not deserialise protobuf: truncated field %d' % (key >> 3))
        out.append((key >> 3, value))
    return out

def get_all(buf, number):
    return [value for n, value in fields(buf) if n == number]

def get(buf, number, default=b''):  # The last one wins, as in protobuf.
    values = get_all(buf, number)
    return values[-1] if values else default

def put_varint(n):
    out = b''
    while n > 0x7f:
        out, n = out + bytes([n & 0x7f | 0x80]), n >> 7
    return out + bytes([n])

def put(number, value):  # bytes, float (double) or non-negative int/bool.
    if isinstance(value, bytes):
        return put_varint(number << 3 | 2) + put_varint(len(value)) + value
    if isinstance(value, float):
        return put_varint(number << 3 | 1) + struct.pack('<d', value)
    return put_varint(number << 3) + put_varint(int(value))

# A container's state: files lock, pid, status and resources in its directory.
def root():
    if not os.environ.get('MESOS_WORK_DIRECTORY'):
        raise Failure('MESOS_WORK_DIRECTORY is not set')
    return os.path.join(os.environ['MESOS_WORK_DIRECTORY'], 'test-containerizer-py', 'containers')

def state_of(message, must_exist=True):  # From field 1, the ContainerID.
    id = get(get(message, 1), 1).decode()
    if not id or '/' in id or '..' in id:
        raise Failure('Invalid container id %r' % id)
    state = os.path.join(root(), id)
    if must_exist and not os.path.isdir(state):
        raise Failure("Unknown container '%s'" % id)
    return state

def read(state, name):
    try:
        with open(os.path.join(state, name), 'rb') as f:
            return f.read()
    except FileNotFoundError:
        return None

def write(state, name, data):  # Atomically: readers see all or nothing.
    with open(os.path.join(state, '.tmp'), 'wb') as f:
        f.write(data)
    os.rename(os.path.join(state, '.tmp'), os.path.join(state, name))

def kill_group(state):
    try:
        os.killpg(int(read(state, 'pid')), signal.SIGKILL)
    except ProcessLookupError:
        print('The executor of %s is already gone' % state, file=sys.stderr)

def launch():  # Executor: ExecutorInfo (3).command (7), run by `sh -c`.
    data = receive()
    state, executor = state_of(data, must_exist=False), get(data, 3)
    command, sandbox = get(executor, 7), get(data, 4).decode()
    env = dict(os.environ, MESOS_SANDBOX=sandbox)
    for variable in get_all(get(command, 2), 1):  # Environment.variables
        env[get(variable, 1).decode()] = get(variable, 2).decode()
    os.makedirs(state)
    resources = get_all(executor, 5) + get_all(get(data, 2), 4)
    write(state, 'resources', b''.join(put(2, r) for r in resources))
    ready_read, ready_write = os.pipe()
    if os.fork() == 0:  # The monitor: away from the agent's pipes and session.
        try:
            os.close(ready_read)
            os.setsid()
            null = os.open(os.devnull, os.O_RDWR)
            log = os.open(os.path.join(sandbox, 'stderr'), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.dup2(null, 0), os.dup2(null, 1), os.dup2(log, 2)
            with open(os.path.join(state, 'lock'), 'w') as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                out = open(os.path.join(sandbox, 'stdout'), 'ab')
                proc = subprocess.Popen(['sh', '-c', get(command, 3).decode()], cwd=sandbox, env=env,
                                        stdin=subprocess.DEVNULL, stdout=out, stderr=log,
                                        start_new_session=True)
                write(state, 'pid', str(proc.pid).encode())
                os.write(ready_write, b'ready')
                _, status = os.waitpid(proc.pid, 0)
                try:  # The executor's children end with it.
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                write(state, 'status', str(status).encode())
        finally:
            os._exit(0)
    os.close(ready_write)
    if os.read(ready_read, 5) != b'ready':
        shutil.rmtree(state)
        raise Failure('The executor did not start; see %s/stderr' % sandbox)

def wait():  # Blocks on the monitor's lock, then reports the status.
    state = state_of(receive())
    with open(os.path.join(state, 'lock')) as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
    status = read(state, 'status')
    if status is None:
        raise Failure('%s has no exit status: its monitor died' % state)
    send(put(1, False) + put(2, b'') + put(3, int(status)))  # Termination

def destroy():
    state = state_of(receive(), must_exist=False)
    if not os.path.isdir(state) or read(state, 'status') is not None:
        print('Nothing to destroy in %s' % state, file=sys.stderr)
    else:
        kill_group(state)

def usage():  # ResourceStatistics of the executor's process group.
    state, limits = state_of(receive()), {}
    for resource in get_all(read(state, 'resources'), 2):
        name, scalar = get(resource, 1).decode(), get(get(resource, 3), 1, bytes(8))
        limits[name] = limits.get(name, 0.0) + struct.unpack('<d', scalar)[0]
    stats = put(1, time.time())
    if 'cpus' in limits:
        stats += put(4, limits['cpus'])
    if 'mem' in limits:
        stats += put(6, int(limits['mem'] * 1024 * 1024))
    if read(state, 'status') is None:
        ticks, user, system, rss = os.sysconf('SC_CLK_TCK'), 0, 0, 0
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open('/proc/%s/stat' % pid) as f:
                    stat = f.read()
            except OSError:
                continue
            fields_ = stat[stat.rfind(')') + 2:].split()  # From field 3, state.
            if int(fields_[2]) == int(read(state, 'pid')):
                user, system, rss = user + int(fields_[11]), system + int(fields_[12]), rss + int(fields_[21])
        stats += put(2, user / ticks) + put(3, system / ticks) + put(5, rss * os.sysconf('SC_PAGE_SIZE'))
    send(stats)

def update():
    data = receive()
    resources = get_all(data, 2)
    write(state_of(data), 'resources', b''.join(put(2, r) for r in resources))
    print('Received %d resource elements' % len(resources), file=sys.stderr)

def running():
    ids = sorted(os.listdir(root())) if os.path.isdir(root()) else []
    return [(id, os.path.join(root(), id)) for id in ids]

def containers():  # Containers: the ids of those without a status.
    send(b''.join(put(1, put(1, id.encode())) for id, state in running() if read(state, 'status') is None))

def recover():  # Forgets ended containers and those whose monitor died.
    for id, state in running():
        if read(state, 'status') is None:
            try:
                with open(os.path.join(state, 'lock')) as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("Recovered running container '%s'" % id, file=sys.stderr)
                continue
            except FileNotFoundError:
                pass
            if read(state, 'pid') is not None:
                kill_group(state)
        shutil.rmtree(state)
        print("Removed container '%s'" % id, file=sys.stderr)

COMMANDS = {'launch': launch, 'update': update, 'usage': usage, 'wait': wait,
            'destroy': destroy, 'containers': containers, 'recover': recover}
USAGE = 'Usage: %s <command>\nValid commands: %s' % (PROG, ', '.join(COMMANDS))

if __name__ == '__main__':
    if sys.argv[1:2] in (['--help'], ['-h']):
        sys.exit(print(USAGE))
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(print(USAGE, file=sys.stderr) or 2)
    try:
        COMMANDS[sys.argv[1]]()
    except (Failure, OSError, ValueError, TypeError) as e:
        sys.exit(print('%s: %s' % (PROG, e), file=sys.stderr) or 1)

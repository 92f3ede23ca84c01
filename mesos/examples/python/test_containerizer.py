#!/usr/bin/env python3
"""An external containerizer program (ECP) in plain Python 3.

The agent runs `test_containerizer.py <command>` for launch, update, usage,
wait, destroy, containers and recover. A protobuf comes on stdin and, for
usage, wait and containers, one goes back on stdout; each is framed by its
length as a native-endian 4-byte unsigned int. The few fields needed are
decoded by hand, so no protobuf package is needed.

Executors run on the host in process groups of their own. `launch` forks a
monitor that holds an exclusive lock on the container's state directory
until it has written the executor's wait status; `wait` takes a shared lock
and so blocks until then. State: $MESOS_WORK_DIRECTORY/test-containerizer-py.
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

def varint(buf, i):  # Protobuf's wire format: (value, next index).
    value = shift = 0
    while i < len(buf):
        value, shift, i = value | (buf[i] & 0x7f) << shift, shift + 7, i + 1
        if buf[i - 1] < 0x80:
            return value, i
    raise Failure('Could not deserialise protobuf: truncated varint')

def get_all(buf, number):  # Field `number`'s values: ints, or bytes.
    values, i = [], 0
    while i < len(buf):
        key, i = varint(buf, i)
        if key & 7 == 0:
            value, i = varint(buf, i)
        else:
            if key & 7 == 2:
                size, i = varint(buf, i)
            elif key & 7 in (1, 5):
                size = 8 if key & 7 == 1 else 4
            else:
                raise Failure('Could not deserialise protobuf: wire type %d' % (key & 7))
            value, i = buf[i:i + size], i + size
            if i > len(buf):
                raise Failure('Could not deserialise protobuf: truncated field %d' % (key >> 3))
        if key >> 3 == number:
            values.append(value)
    return values

def get(buf, number, default=b''):  # The last value wins, as in protobuf.
    return (get_all(buf, number) or [default])[-1]

def uvarint(n):
    return bytes([n & 0x7f | 0x80]) + uvarint(n >> 7) if n > 0x7f else bytes([n])

def put(number, value):  # Encodes bytes, a float (double) or an int >= 0.
    if isinstance(value, bytes):
        return uvarint(number << 3 | 2) + uvarint(len(value)) + value
    if isinstance(value, float):
        return uvarint(number << 3 | 1) + struct.pack('<d', value)
    return uvarint(number << 3) + uvarint(int(value))

def root():
    if not os.environ.get('MESOS_WORK_DIRECTORY'):
        raise Failure('MESOS_WORK_DIRECTORY is not set')
    return os.path.join(os.environ['MESOS_WORK_DIRECTORY'], 'test-containerizer-py', 'containers')

def state_of(message, must_exist=True):  # Field 1 is the ContainerID.
    id = get(get(message, 1), 1).decode()
    if not id or '/' in id or '..' in id:
        raise Failure('Invalid container id %r' % id)
    if must_exist and not os.path.isdir(os.path.join(root(), id)):
        raise Failure("Unknown container '%s'" % id)
    return os.path.join(root(), id)

def read(state, name):  # A state file: lock, pid, status or resources.
    path = os.path.join(state, name)
    return open(path, 'rb').read() if os.path.exists(path) else None

def write(state, name, data):  # Atomically: readers see all or nothing.
    with open(os.path.join(state, '.tmp'), 'wb') as f:
        f.write(data)
    os.rename(os.path.join(state, '.tmp'), os.path.join(state, name))

def kill_group(state):
    try:
        os.killpg(int(read(state, 'pid')), signal.SIGKILL)
    except ProcessLookupError:
        print('The executor of %s is already gone' % state, file=sys.stderr)

def launch():  # Runs ExecutorInfo (3).command (7).value with `sh -c`.
    data = receive()
    state, executor, sandbox = state_of(data, False), get(data, 3), get(data, 4).decode()
    command = get(executor, 7)
    env = dict(os.environ, MESOS_SANDBOX=sandbox)
    for variable in get_all(get(command, 2), 1):  # CommandInfo.environment
        env[get(variable, 1).decode()] = get(variable, 2).decode()
    os.makedirs(state)
    resources = get_all(executor, 5) + get_all(get(data, 2), 4)  # Executor's + task's.
    write(state, 'resources', b''.join(put(2, r) for r in resources))
    ready_read, ready_write = os.pipe()
    if os.fork() == 0:  # The monitor: off the agent's pipes and session.
        try:
            os.close(ready_read), os.setsid()
            log = os.open(os.path.join(sandbox, 'stderr'), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0), os.dup2(null, 1), os.dup2(log, 2)
            with open(os.path.join(state, 'lock'), 'w') as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                proc = subprocess.Popen(['sh', '-c', get(command, 3).decode()], cwd=sandbox, env=env,
                                        stdout=open(os.path.join(sandbox, 'stdout'), 'ab'),
                                        stdin=null, stderr=log, start_new_session=True)
                write(state, 'pid', str(proc.pid).encode())
                os.write(ready_write, b'ready')
                status = os.waitpid(proc.pid, 0)[1]
                try:  # The executor's children end with it.
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                write(state, 'status', str(status).encode())
        except Exception as e:
            print('%s: %s' % (PROG, e), file=sys.stderr)
        finally:
            os._exit(0)
    os.close(ready_write)
    if os.read(ready_read, 5) != b'ready':
        shutil.rmtree(state)
        raise Failure('The executor did not start; see %s/stderr' % sandbox)

def wait():  # Waits for the monitor's lock, then sends a Termination.
    state = state_of(receive())
    with open(os.path.join(state, 'lock')) as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
    status = read(state, 'status')
    if status is None:
        raise Failure('%s has no exit status: its monitor died' % state)
    send(put(1, False) + put(2, b'') + put(3, int(status)))

def destroy():
    state = state_of(receive(), False)
    if os.path.isdir(state) and read(state, 'status') is None:
        kill_group(state)

def usage():  # Sends ResourceStatistics: just the time and the limits.
    state, limits = state_of(receive()), {}
    for resource in get_all(read(state, 'resources'), 2):  # Scalar values.
        value = struct.unpack('<d', get(get(resource, 3), 1, bytes(8)))[0]
        limits[get(resource, 1)] = limits.get(get(resource, 1), 0.0) + value
    stats = put(1, time.time())
    stats += put(4, limits[b'cpus']) if b'cpus' in limits else b''
    stats += put(6, int(limits[b'mem'] * 2**20)) if b'mem' in limits else b''
    send(stats)

def update():
    data = receive()
    resources = get_all(data, 2)
    write(state_of(data), 'resources', b''.join(put(2, r) for r in resources))
    print('Received %d resource elements' % len(resources), file=sys.stderr)

def known():  # [(id, state directory)]
    return [(id, os.path.join(root(), id)) for id in sorted(os.listdir(root()))] if os.path.isdir(root()) else []

def containers():  # Sends the ids of those without a status.
    send(b''.join(put(1, put(1, id.encode())) for id, state in known() if read(state, 'status') is None))

def recover():  # Forgets ended containers and those whose monitor died.
    for id, state in known():
        if read(state, 'status') is None and read(state, 'lock') is not None:
            with open(os.path.join(state, 'lock')) as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # Its monitor runs.
            kill_group(state)
        shutil.rmtree(state)
        print("Removed container '%s'" % id, file=sys.stderr)

COMMANDS = {'launch': launch, 'update': update, 'usage': usage, 'wait': wait,
            'destroy': destroy, 'containers': containers, 'recover': recover}
USAGE = 'Usage: %s <command>\nValid commands: %s' % (PROG, ', '.join(COMMANDS))

if __name__ == '__main__':
    if sys.argv[1:2] in (['--help'], ['-h']):
        print(USAGE)
    elif len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    else:
        try:
            COMMANDS[sys.argv[1]]()
        except (Failure, OSError, ValueError, TypeError) as e:
            print('%s: %s' % (PROG, e), file=sys.stderr)
            sys.exit(1)

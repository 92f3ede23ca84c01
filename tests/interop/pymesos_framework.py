#!/usr/bin/env python3
"""Runs N command tasks through pymesos (the v1 scheduler HTTP API) and exits 0 when all finish."""
import getpass, logging, socket, sys, threading, uuid
from pymesos import MesosSchedulerDriver, Scheduler, encode_data
from addict import Dict

logging.basicConfig(level=logging.INFO)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 3

class S(Scheduler):
    def __init__(self):
        self.launched = 0
        self.finished = 0
        self.failed = False
        self.done = threading.Event()
    def resourceOffers(self, driver, offers):
        for offer in offers:
            if self.launched >= N:
                driver.declineOffer(offer.id, Dict(refuse_seconds=5))
                continue
            tasks = []
            while self.launched < N and len(tasks) < N:
                task = Dict()
                task.task_id.value = str(uuid.uuid4())
                task.agent_id.value = offer.agent_id.value
                task.name = 'task {}'.format(self.launched)
                task.command.value = 'echo hello from pymesos'
                task.resources = [
                    dict(name='cpus', type='SCALAR', scalar={'value': 0.1}),
                    dict(name='mem', type='SCALAR', scalar={'value': 32}),
                ]
                tasks.append(task)
                self.launched += 1
            driver.launchTasks(offer.id, tasks, Dict(refuse_seconds=1))
    def statusUpdate(self, driver, update):
        print('status', update.task_id.value, update.state, update.get('message', ''), flush=True)
        if update.state == 'TASK_FINISHED':
            self.finished += 1
        elif update.state in ('TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_KILLED', 'TASK_DROPPED'):
            self.failed = True
        if self.failed or self.finished == N:
            self.done.set()

framework = Dict(user=getpass.getuser(), name='pymesos interop', hostname=socket.gethostname())
s = S()
driver = MesosSchedulerDriver(s, framework, sys.argv[1], use_addict=True)
driver.start()
ok = s.done.wait(120)
driver.stop()
print('finished', s.finished, 'of', N, 'failed' if s.failed else '')
sys.exit(0 if ok and not s.failed and s.finished == N else 1)

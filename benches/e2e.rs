//! Tasks end to end through the real daemons: a `mesos-master` and a
//! `mesos-agent` (release binaries, started here on loopback; the agent
//! launches `mesos-executor`), and one framework on the scheduler driver
//! in this process. Each agent in turn: with the Mesos containerizer
//! (`mesos`), then with the external containerizer and the example
//! program `test-containerizer` (`external`).
//!
//! - `e2e/throughput/<containerizer>`: N = 200 `true` command tasks
//!   (`cpus:0.1;mem:32` each), all launched from the first offer; the time
//!   from that ACCEPT to the last `TASK_FINISHED`. Baseline in the same
//!   run, `e2e/floor`: the same N `sh -c true` spawned and reaped
//!   directly, all at once.
//! - After criterion: the launch→`TASK_RUNNING` latency, p50 and p99, of
//!   tasks launched one at a time (each on an offer the framework revives
//!   when the previous task finishes), and the same latency of the tasks of
//!   the throughput rounds (launched 200 at once); then the daemons'
//!   resident memory, idle after the agent registered.
//!
//! The binaries come from `target/release`: build them first with
//! `cargo build --release -p mesos --bins`.

mod daemons;

use std::collections::HashMap;
use std::process::{Child, Command};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use mesos::common::protobuf_utils::is_terminal_state;
use mesos::sched::{MesosSchedulerDriver, Scheduler};
use mesos::{
    CommandInfo, Filters, FrameworkInfo, Offer, Resources, TaskId, TaskInfo, TaskState, TaskStatus,
};
use parking_lot::Mutex;

use daemons::{binary, start_cluster_with};

/// Tasks per throughput round.
const TASKS: usize = 200;
/// Tasks launched one at a time for the uncontended latency.
const SEQUENTIAL: usize = 50;
const TASK_RESOURCES: &str = "cpus:0.1;mem:32";
const DEADLINE: Duration = Duration::from_secs(120);
/// Room for a whole round at once.
const AGENT_RESOURCES: &str = "cpus:64;mem:65536;disk:1024;ports:[31000-32000]";

/// One batch of tasks the framework runs, and what it saw of them.
#[derive(Default)]
struct Round {
    /// Tasks still to launch.
    to_launch: usize,
    /// Tasks to launch per offer.
    per_offer: usize,
    /// The round's tasks not yet terminal.
    outstanding: usize,
    launched: HashMap<String, Instant>,
    running: HashMap<String, Instant>,
    first_accept: Option<Instant>,
    last_finished: Option<Instant>,
    failed: Vec<String>,
    done: Option<Sender<()>>,
    next_id: usize,
}

struct BenchScheduler {
    round: Arc<Mutex<Round>>,
    task_resources: Resources,
}

impl Scheduler for BenchScheduler {
    fn resource_offers(&mut self, driver: &MesosSchedulerDriver, offers: &[Offer]) {
        let mut round = self.round.lock();
        for offer in offers {
            let mut left = Resources::from(offer.resources.as_slice());
            let mut tasks = Vec::new();
            while round.to_launch > 0
                && tasks.len() < round.per_offer
                && left.contains(&self.task_resources)
            {
                left -= &self.task_resources;
                round.to_launch -= 1;
                round.next_id += 1;
                let id = format!("task-{}", round.next_id);
                tasks.push(TaskInfo {
                    name: id.clone(),
                    task_id: TaskId { value: id },
                    slave_id: offer.slave_id.clone(),
                    resources: self.task_resources.clone().into(),
                    command: Some(CommandInfo {
                        value: Some("true".into()),
                        ..CommandInfo::default()
                    }),
                    ..TaskInfo::default()
                });
            }
            if tasks.is_empty() {
                driver.decline_offer(offer.id.clone(), Filters::default());
                continue;
            }
            let now = Instant::now();
            round.first_accept.get_or_insert(now);
            for task in &tasks {
                round.launched.insert(task.task_id.value.clone(), now);
            }
            driver.launch_tasks(vec![offer.id.clone()], tasks, Filters::default());
        }
    }

    fn status_update(&mut self, driver: &MesosSchedulerDriver, status: &TaskStatus) {
        let now = Instant::now();
        let mut round = self.round.lock();
        let id = status.task_id.value.clone();
        let state = status.state();
        if state == TaskState::TaskRunning {
            round.running.insert(id, now);
            return;
        }
        if !is_terminal_state(state) {
            return;
        }
        if state != TaskState::TaskFinished {
            round
                .failed
                .push(format!("{}: {:?} {}", id, state, status.message()));
        }
        round.outstanding = round.outstanding.saturating_sub(1);
        round.last_finished = Some(now);
        if round.outstanding == 0 {
            if let Some(done) = round.done.take() {
                let _ = done.send(());
            }
        } else if round.to_launch > 0 {
            // The next offer now, not at the next allocation interval.
            driver.revive_offers(Vec::new());
        }
    }
}

/// The framework: one driver for all rounds.
struct Framework {
    round: Arc<Mutex<Round>>,
    driver: MesosSchedulerDriver,
    /// Launch→`TASK_RUNNING` of every throughput round's tasks.
    contended: Vec<Duration>,
}

impl Framework {
    fn start(master: &str) -> Framework {
        let round = Arc::new(Mutex::new(Round::default()));
        // Not MULTI_ROLE: offers and tasks carry no allocation info.
        let task_resources = Resources::parse(TASK_RESOURCES).expect("task resources");
        let scheduler = BenchScheduler {
            round: Arc::clone(&round),
            task_resources,
        };
        let framework = FrameworkInfo {
            name: "e2e bench".into(),
            user: stout::os::user().unwrap_or_else(|_| "root".into()),
            roles: vec!["*".into()],
            ..FrameworkInfo::default()
        };
        let driver = MesosSchedulerDriver::new(scheduler, framework, master, true);
        driver.start();
        Framework {
            round,
            driver,
            contended: Vec::new(),
        }
    }

    /// Runs `tasks`, `per_offer` per offer; the time from the first
    /// ACCEPT to the last terminal update, and each launch→RUNNING.
    fn run(&self, tasks: usize, per_offer: usize) -> (Duration, Vec<Duration>) {
        let (sender, done) = mpsc::channel();
        {
            let mut round = self.round.lock();
            let next_id = round.next_id;
            *round = Round {
                to_launch: tasks,
                per_offer,
                outstanding: tasks,
                done: Some(sender),
                next_id,
                ..Round::default()
            };
        }
        self.driver.revive_offers(Vec::new());
        let ended = done.recv_timeout(DEADLINE);
        let round = self.round.lock();
        assert!(
            ended.is_ok(),
            "tasks left at the deadline: {} to launch, {} of {} launched not ended, {} running",
            round.to_launch,
            round.outstanding,
            round.launched.len(),
            round.running.len()
        );
        assert!(round.failed.is_empty(), "tasks failed: {:?}", round.failed);
        let elapsed =
            round.last_finished.expect("finished") - round.first_accept.expect("accepted");
        let latencies = round
            .running
            .iter()
            .filter_map(|(id, at)| Some(*at - *round.launched.get(id)?))
            .collect();
        (elapsed, latencies)
    }
}

impl Drop for Framework {
    fn drop(&mut self) {
        self.driver.stop(false);
        self.driver.join();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn summary(mut latencies: Vec<Duration>) -> String {
    if latencies.is_empty() {
        return "no tasks (filtered out)".to_string();
    }
    latencies.sort();
    format!(
        "p50 {:.1} ms, p99 {:.1} ms over {} tasks",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.len()
    )
}

/// The agent flags of each containerizer measured.
fn containerizers() -> Vec<(&'static str, Vec<String>)> {
    let program = binary("test-containerizer").to_string_lossy().into_owned();
    vec![
        ("mesos", Vec::new()),
        (
            "external",
            vec![
                "--containerizers=external".to_string(),
                format!("--containerizer_path={}", program),
            ],
        ),
    ]
}

fn e2e(c: &mut Criterion) {
    let runtime = libprocess::Builder::default()
        .listen("127.0.0.1:0".parse().expect("an address"))
        .workers(2)
        .try_build()
        .expect("the framework's runtime");
    let _enter = runtime.enter();
    let mut group = c.benchmark_group("e2e");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(TASKS as u64));
    let mut reports = Vec::new();
    for (name, flags) in containerizers() {
        let cluster = start_cluster_with(AGENT_RESOURCES, &flags);
        // Idle: registered, nothing launched yet.
        let idle = (cluster.master.resident_kb(), cluster.agent.resident_kb());
        let mut framework = Framework::start(&cluster.master_address);
        group.bench_function(format!("throughput/{}", name), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let (elapsed, latencies) = framework.run(TASKS, TASKS);
                    framework.contended.extend(latencies);
                    total += elapsed;
                }
                total
            })
        });
        let (_, sequential) = framework.run(SEQUENTIAL, 1);
        reports.push(format!(
            "e2e/latency/{name} launch->TASK_RUNNING, one task at a time: {}",
            summary(sequential)
        ));
        reports.push(format!(
            "e2e/latency/{name} launch->TASK_RUNNING, {} at once: {}",
            TASKS,
            summary(std::mem::take(&mut framework.contended))
        ));
        reports.push(format!(
            "e2e/idle/{name} resident memory: mesos-master {:.1} MB, mesos-agent {:.1} MB",
            idle.0 as f64 / 1024.0,
            idle.1 as f64 / 1024.0
        ));
        drop(framework);
        drop(cluster);
    }
    group.bench_function("floor", |b| {
        b.iter(|| {
            let children: Vec<Child> = (0..TASKS)
                .map(|_| {
                    Command::new("sh")
                        .args(["-c", "true"])
                        .spawn()
                        .expect("sh starts")
                })
                .collect();
            for mut child in children {
                child.wait().expect("sh ends");
            }
        })
    });
    group.finish();
    for report in reports {
        println!("{}", report);
    }
}

criterion_group!(benches, e2e);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}

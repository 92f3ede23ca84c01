//! The v1 executor HTTP API at `/slave(N)/api/v1/executor` (Mesos'
//! `Http::executor` and `Slave::subscribe`): `SUBSCRIBE` opens a RecordIO
//! stream of `mesos.v1.executor.Event`s (JSON or protobuf, as the
//! `Accept` header asks); `UPDATE` and `MESSAGE` are answered
//! `202 Accepted`.

use libprocess::http::{self, pipe, Request, Response};
use libprocess::{delay, Future, SelfPid};

use crate::common::evolve::{devolve, evolve};
use crate::common::protobuf_utils::create_status_update_from_status;
use crate::executor::{call, event, Call, Event};
use crate::slave::executor::{ExecutorChannel, ExecutorState, ToExecutor};
use crate::slave::framework::FrameworkState;
use crate::slave::run_task::dropped_state;
use crate::slave::slave::{Slave, SlaveState};
use crate::slave::status_update::UpdateSource;
use crate::task_status::{Reason, Source};
use crate::{ExecutorId, FrameworkId, TaskState};

/// The route's help.
pub const HELP: &str = "## TL;DR; ##\n\nEndpoint for the Executor HTTP API.\n\n\
## DESCRIPTION ##\n\nThis endpoint is used by the executors to interact with the\nagent via \
Call/Event messages.\n\nReturns 200 OK iff the initial SUBSCRIBE Call is successful.\nThis will \
result in a streaming response via chunked\ntransfer encoding. The executors can process the \
response\nincrementally.\n\nReturns 202 Accepted for all other Call messages iff the\nrequest is \
accepted.\n";

use crate::common::http::{APPLICATION_JSON, APPLICATION_PROTOBUF};

/// How long the agent waits between heartbeats on an executor's stream
/// (Mesos' `DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL`).
pub const DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL: stout::Duration = stout::Duration::from_mins(30);

pub use crate::common::http::ContentType;

/// A subscribed HTTP executor's event stream.
pub struct HttpConnection {
    writer: pipe::Writer,
    content_type: ContentType,
    /// Tells this stream from a later one of the same executor.
    id: u64,
}

impl std::fmt::Debug for HttpConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpConnection")
            .field("content_type", &self.content_type)
            .field("id", &self.id)
            .finish()
    }
}

impl HttpConnection {
    /// Writes `event` to the stream as a v1 event, RecordIO-framed;
    /// false if the stream is closed.
    pub fn send(&self, event: &Event) -> bool {
        let event: crate::v1::executor::Event = match evolve(event) {
            Ok(event) => event,
            Err(error) => {
                tracing::error!("Failed to evolve an executor event: {}", error);
                return false;
            }
        };
        let record = self.content_type.serialize(&event);
        self.writer.write(stout::recordio::encode(&record))
    }

    /// Ends the stream.
    pub fn close(&self) -> bool {
        self.writer.close()
    }
}

fn status(code: u16, body: impl Into<String>) -> Response {
    Response::with_body(code, body.into(), "text/plain; charset=utf-8")
}

/// The call in the request's body, or the response refusing it.
fn parse_call(request: &Request) -> Result<Call, Response> {
    let v1: crate::v1::executor::Call = crate::common::http::parse_call(request)?;
    devolve(&v1).map_err(|e| http::bad_request(Some(e.to_string())))
}

/// Mesos' `validateExecutorCall`.
fn validate(call: &Call) -> Result<(), String> {
    if call.r#type.is_none() {
        return Err("Expecting 'type' to be present".to_string());
    }
    if call.executor_id.value.is_empty() {
        return Err("Expecting 'executor_id' to be present".to_string());
    }
    if call.framework_id.value.is_empty() {
        return Err("Expecting 'framework_id' to be present".to_string());
    }
    match call.r#type() {
        call::Type::Subscribe if call.subscribe.is_none() => {
            Err("Expecting 'subscribe' to be present".to_string())
        }
        call::Type::Update => {
            let Some(update) = &call.update else {
                return Err("Expecting 'update' to be present".to_string());
            };
            let status = &update.status;
            let Some(uuid) = &status.uuid else {
                return Err("Expecting 'uuid' to be present".to_string());
            };
            stout::Uuid::from_bytes(uuid).map_err(|e| e.to_string())?;
            if let Some(executor_id) = &status.executor_id {
                if executor_id.value != call.executor_id.value {
                    return Err(format!(
                        "ExecutorID in Call: {} does not match ExecutorID in TaskStatus: {}",
                        call.executor_id.value, executor_id.value
                    ));
                }
            }
            if status.source != Some(Source::Executor as i32) {
                return Err(format!(
                    "Received Call from executor {} of framework {} with invalid source, \
                     expecting 'SOURCE_EXECUTOR'",
                    call.executor_id.value, call.framework_id.value
                ));
            }
            if status.state() == TaskState::TaskStaging {
                return Err(format!(
                    "Received TASK_STAGING from executor {} of framework {} which is not allowed",
                    call.executor_id.value, call.framework_id.value
                ));
            }
            if let Some(check) = &status.check_status {
                crate::common::validation::validate_check_status_info(check)
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        call::Type::Message if call.message.is_none() => {
            Err("Expecting 'message' to be present".to_string())
        }
        _ => Ok(()),
    }
}

impl Slave {
    /// Serves `/api/v1/executor`.
    pub(crate) fn executor_api(&mut self, request: Request) -> Future<Response> {
        Future::ready(self.executor_call(request))
    }

    fn executor_call(&mut self, request: Request) -> Response {
        if self.state == SlaveState::Recovering {
            return http::service_unavailable(Some("Agent has not finished recovery".to_string()));
        }
        if request.method != "POST" {
            return http::method_not_allowed(&["POST"], Some(&request.method));
        }
        let call = match parse_call(&request) {
            Ok(call) => call,
            Err(response) => return response,
        };
        if let Err(error) = validate(&call) {
            return http::bad_request(Some(format!(
                "Failed to validate Executor::Call: {}",
                error
            )));
        }

        let mut accept = ContentType::Json;
        match call.r#type() {
            call::Type::Subscribe => {
                if request.accepts_media_type(APPLICATION_JSON) {
                    accept = ContentType::Json;
                } else if request.accepts_media_type(APPLICATION_PROTOBUF) {
                    accept = ContentType::Protobuf;
                } else {
                    return status(
                        406,
                        format!(
                            "Expecting 'Accept' to allow '{}' or '{}'",
                            APPLICATION_PROTOBUF, APPLICATION_JSON
                        ),
                    );
                }
            }
            call::Type::Heartbeat => return http::accepted(),
            _ => {}
        }

        let Some(framework) = self.framework(&call.framework_id) else {
            return http::bad_request(Some("Framework cannot be found".to_string()));
        };
        let Some(executor) = framework.executor(&call.executor_id) else {
            return http::bad_request(Some("Executor cannot be found".to_string()));
        };
        if executor.state == ExecutorState::Registering && call.r#type() != call::Type::Subscribe {
            return http::forbidden(Some("Executor is not subscribed".to_string()));
        }

        match call.r#type() {
            call::Type::Subscribe => {
                let (reader, writer) = pipe::pipe();
                let mut ok = Response::pipe(200, reader);
                ok.headers.insert("Content-Type", accept.media_type());
                let connection = HttpConnection {
                    writer,
                    content_type: accept,
                    id: libprocess::random::next_u64(),
                };
                self.subscribe(
                    connection,
                    call.subscribe.unwrap_or_default(),
                    &call.framework_id,
                    &call.executor_id,
                );
                ok
            }
            call::Type::Update => {
                let status = call.update.map(|u| u.status).unwrap_or_default();
                let update = create_status_update_from_status(
                    &call.framework_id,
                    status,
                    self.info.id.clone(),
                );
                self.status_update(update, UpdateSource::HttpExecutor);
                http::accepted()
            }
            call::Type::Message => {
                let data = call.message.map(|m| m.data).unwrap_or_default();
                self.executor_message(crate::internal::ExecutorToFrameworkMessage {
                    slave_id: self.slave_id(),
                    framework_id: call.framework_id,
                    executor_id: call.executor_id,
                    data,
                });
                http::accepted()
            }
            call::Type::Heartbeat | call::Type::Unknown => {
                tracing::warn!("Received 'UNKNOWN' call");
                status(501, "")
            }
        }
    }

    fn subscribe(
        &mut self,
        connection: HttpConnection,
        subscribe: call::Subscribe,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) {
        let shutdown = |connection: HttpConnection| {
            connection.send(&ToExecutor::Shutdown(Default::default()).to_event());
            connection.close();
        };
        if self.state == SlaveState::Terminating {
            tracing::warn!(
                "Shutting down executor '{}' as the agent is terminating",
                executor_id.value
            );
            return shutdown(connection);
        }
        let Some(framework) = self.framework(framework_id) else {
            return shutdown(connection);
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Shutting down executor '{}' as the framework is terminating",
                executor_id.value
            );
            return shutdown(connection);
        }
        let framework_info = framework.info.clone();
        let dropped = dropped_state(&framework_info);
        let slave_info = self.info.clone();
        let Some(executor) = self.executor_mut(framework_id, executor_id) else {
            return shutdown(connection);
        };
        tracing::info!(
            "Received Subscribe request for HTTP executor {}",
            executor.describe()
        );
        if matches!(
            executor.state,
            ExecutorState::Terminating | ExecutorState::Terminated
        ) {
            tracing::warn!(
                "Shutting down executor {} because it is in unexpected state {:?}",
                executor.describe(),
                executor.state
            );
            return shutdown(connection);
        }
        if let Some(ExecutorChannel::Http(previous)) = &executor.channel {
            tracing::warn!(
                "Closing already existing HTTP connection from executor {}",
                executor.describe()
            );
            previous.close();
        }
        let connection_id = connection.id;
        executor.state = ExecutorState::Running;
        executor.channel = Some(ExecutorChannel::Http(connection));

        // Tasks the agent sent and the executor does not know of were
        // lost with the previous connection.
        let unacknowledged: Vec<_> = subscribe
            .unacknowledged_tasks
            .iter()
            .map(|t| t.task_id.clone())
            .collect();
        let staged_unknown: Vec<_> = executor
            .launched_tasks
            .values()
            .filter(|t| t.state() == TaskState::TaskStaging && !unacknowledged.contains(&t.task_id))
            .map(|t| t.task_id.clone())
            .collect();

        for update in subscribe.unacknowledged_updates {
            let update =
                create_status_update_from_status(framework_id, update.status, self.info.id.clone());
            self.status_update(update, UpdateSource::HttpExecutor);
        }
        for task_id in staged_unknown {
            tracing::info!(
                "Transitioning STAGED task {} to {} because it is unknown to the executor {}",
                task_id.value,
                dropped.as_str_name(),
                executor_id.value
            );
            let update = crate::common::protobuf_utils::create_status_update(
                framework_id,
                self.info.id.clone(),
                &task_id,
                dropped,
                Source::Slave,
                Some(libprocess::random::uuid()),
                crate::common::protobuf_utils::StatusUpdateOptions {
                    message: "Task launched during agent restart".to_string(),
                    reason: Some(Reason::SlaveRestarted),
                    executor_id: Some(executor_id.clone()),
                    ..Default::default()
                },
            );
            self.status_update(update, UpdateSource::Agent);
        }

        let Some(executor) = self.executor(framework_id, executor_id) else {
            return;
        };
        if !executor.ever_sent_task() && executor.queued_tasks.is_empty() {
            tracing::warn!(
                "Shutting down executor {} because it has never been sent a task and all of its \
                 queued tasks have been killed before delivery",
                executor.describe()
            );
            self.shutdown_executor_now(framework_id, executor_id);
            return;
        }

        let mut subscribed = Event::default();
        subscribed.set_type(event::Type::Subscribed);
        subscribed.subscribed = Some(event::Subscribed {
            executor_info: executor.info.clone(),
            framework_info,
            slave_info,
            container_id: Some(executor.container_id.clone()),
        });
        if let Some(ExecutorChannel::Http(connection)) = &executor.channel {
            connection.send(&subscribed);
        }
        self.schedule_heartbeat(framework_id, executor_id, connection_id);

        let queued = executor
            .queued_tasks
            .iter()
            .map(|t| t.task_id.clone())
            .collect();
        self.update_then_send(framework_id, executor_id, queued);
    }

    fn schedule_heartbeat(&self, framework_id: &FrameworkId, executor_id: &ExecutorId, id: u64) {
        let (f, e) = (framework_id.clone(), executor_id.clone());
        delay(
            DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL,
            &self.self_pid(),
            move |slave: &mut Slave| slave.heartbeat(&f, &e, id),
        );
    }

    /// Sends a `HEARTBEAT` on the executor's stream, while it is the one
    /// the heartbeats were started for.
    fn heartbeat(&mut self, framework_id: &FrameworkId, executor_id: &ExecutorId, id: u64) {
        let Some(executor) = self.executor(framework_id, executor_id) else {
            return;
        };
        let Some(ExecutorChannel::Http(connection)) = &executor.channel else {
            return;
        };
        if connection.id != id {
            return;
        }
        let mut heartbeat = Event::default();
        heartbeat.set_type(event::Type::Heartbeat);
        if connection.send(&heartbeat) {
            self.schedule_heartbeat(framework_id, executor_id, id);
        }
    }
}

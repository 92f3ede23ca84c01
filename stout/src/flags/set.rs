//! `FlagSet`: the definitions and values of one flags struct, and loading.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::{Deref, DerefMut};

use super::{FlagField, FlagValue, Flags};
use crate::{Error, Try};

/// A non-fatal finding of a load, e.g. a deprecated alias was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What to log, e.g. `Loaded deprecated flag 'alias'`.
    pub message: String,
}

/// Reads and writes one field of the flags struct.
trait Slot<F>: Send + Sync {
    fn load(&self, flags: &mut F, value: &str) -> Try<()>;
    fn stringify(&self, flags: &F) -> Option<String>;
}

struct Field<F, T> {
    get: fn(&F) -> &T,
    get_mut: fn(&mut F) -> &mut T,
}

impl<F, T: FlagField> Slot<F> for Field<F, T> {
    fn load(&self, flags: &mut F, value: &str) -> Try<()> {
        (self.get_mut)(flags).load(value)
    }

    fn stringify(&self, flags: &F) -> Option<String> {
        (self.get)(flags).stringify()
    }
}

type Validator<F> = Box<dyn Fn(&F) -> Option<Error> + Send + Sync>;

struct Flag<F> {
    alias: Option<String>,
    deprecated_alias: bool,
    help: String,
    /// The default as text, for `--help`; `None` when there is none.
    default: Option<String>,
    boolean: bool,
    optional: bool,
    /// The name (or alias) the flag was last loaded through.
    loaded_name: Option<String>,
    /// `None` for the built-in `--help`, which lives in the set itself.
    slot: Option<Box<dyn Slot<F>>>,
    validators: Vec<Validator<F>>,
}

impl<F> Flag<F> {
    fn required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

const HELP: &str = "help";

/// The flags of one flags struct `F` and their current values: stout's
/// `FlagsBase` instance. Dereferences to `F`.
pub struct FlagSet<F> {
    values: F,
    help: bool,
    flags: BTreeMap<String, Flag<F>>,
    /// Alias to canonical name.
    aliases: HashMap<String, String>,
    program_name: String,
    usage_message: Option<String>,
    unknowns: bool,
    duplicates: bool,
}

impl<F: Flags> FlagSet<F> {
    /// A set with `F`'s flags at their defaults, plus the built-in
    /// `--[no-]help`.
    pub fn new() -> FlagSet<F> {
        let mut set = FlagSet {
            values: F::default(),
            help: false,
            flags: BTreeMap::new(),
            aliases: HashMap::new(),
            program_name: String::new(),
            usage_message: None,
            unknowns: false,
            duplicates: false,
        };
        set.insert(
            HELP,
            Flag {
                alias: None,
                deprecated_alias: false,
                help: "Prints this help message".to_string(),
                default: Some(false.to_string()),
                boolean: true,
                optional: false,
                loaded_name: None,
                slot: None,
                validators: Vec::new(),
            },
        );
        F::define(&mut set);
        set
    }
}

impl<F: Flags> FlagSet<F> {
    /// The set of `F`'s flags holding `values` (a struct loaded before),
    /// e.g. to print a daemon's flags.
    pub fn with_values(values: F) -> FlagSet<F> {
        let mut set = FlagSet::new();
        set.values = values;
        set
    }
}

impl<F: Flags> Default for FlagSet<F> {
    fn default() -> FlagSet<F> {
        FlagSet::new()
    }
}

impl<F> FlagSet<F> {
    /// Adds the flag `name` backed by the field that `get`/`get_mut` reach.
    /// Usually called through [`flag!`](crate::flag).
    ///
    /// # Panics
    ///
    /// On a definition error (a duplicate name, a name starting with the
    /// reserved `no-`): like stout, which aborts, these are programming
    /// errors, never caused by input.
    pub fn add<T: FlagField>(
        &mut self,
        name: &str,
        get: fn(&F) -> &T,
        get_mut: fn(&mut F) -> &mut T,
    ) -> FlagBuilder<'_, F, T>
    where
        F: 'static,
    {
        self.insert(
            name,
            Flag {
                alias: None,
                deprecated_alias: false,
                help: String::new(),
                default: None,
                boolean: T::BOOLEAN,
                optional: T::OPTIONAL,
                loaded_name: None,
                slot: Some(Box::new(Field { get, get_mut })),
                validators: Vec::new(),
            },
        );
        FlagBuilder {
            set: self,
            name: name.to_string(),
            get,
            get_mut,
        }
    }

    fn insert(&mut self, name: &str, flag: Flag<F>) {
        self.check_new_name(name);
        self.flags.insert(name.to_string(), flag);
    }

    fn check_new_name(&self, name: &str) {
        assert!(
            !self.flags.contains_key(name) && !self.aliases.contains_key(name),
            "Attempted to add duplicate flag '{}'",
            name
        );
        assert!(
            !name.starts_with("no-"),
            "Attempted to add flag '{}' that starts with the reserved 'no-' prefix",
            name
        );
    }

    /// Whether `--help` was given.
    pub fn help(&self) -> bool {
        self.help
    }

    /// The values, as the flags struct.
    pub fn values(&self) -> &F {
        &self.values
    }

    /// The flags struct, consuming the set.
    pub fn into_values(self) -> F {
        self.values
    }

    /// The program name shown by [`FlagSet::usage`]; set from `argv[0]` by
    /// [`FlagSet::load`].
    pub fn set_program_name(&mut self, name: impl Into<String>) {
        self.program_name = name.into();
    }

    /// Replaces the `Usage: <program> [options]` header of `--help`.
    pub fn set_usage_message(&mut self, message: impl Into<String>) {
        self.usage_message = Some(message.into());
    }

    /// Whether unknown flags are skipped instead of being errors
    /// (default: errors).
    pub fn allow_unknowns(&mut self, allow: bool) {
        self.unknowns = allow;
    }

    /// Whether a flag given twice is applied twice (the last wins) instead
    /// of being an error (default: error).
    pub fn allow_duplicates(&mut self, allow: bool) {
        self.duplicates = allow;
    }

    /// Loads from the command line `args` (`args[0]` is the program) and,
    /// when `prefix` is given, from the environment variables starting with
    /// it (`MESOS_PORT` → `port`). An explicit flag wins over the
    /// environment. Arguments that are not flags are ignored; nothing after
    /// `--` is a flag.
    pub fn load<I, S>(&mut self, prefix: Option<&str>, args: I) -> Try<Vec<Warning>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string()).collect();
        self.load_args(prefix, &args).map(|(warnings, _)| warnings)
    }

    /// As [`FlagSet::load`], and on success removes the loaded flags and the
    /// `--` from `args`, keeping the program name, the other arguments in
    /// order and everything after `--`.
    pub fn load_and_update(
        &mut self,
        prefix: Option<&str>,
        args: &mut Vec<String>,
    ) -> Try<Vec<Warning>> {
        let (warnings, rest) = self.load_args(prefix, args)?;
        *args = rest;
        Ok(warnings)
    }

    /// Loads from the environment variables starting with `prefix` only.
    pub fn load_environment(&mut self, prefix: &str) -> Try<Vec<Warning>> {
        let env = self.extract(prefix);
        self.load_pairs(Vec::new(), env)
    }

    /// Loads `name → value` pairs taken as given (no lowercasing); a `None`
    /// value is a flag given without `=value`. With a `prefix`, the
    /// environment is read as by [`FlagSet::load`].
    pub fn load_map<I, K, V>(&mut self, values: I, prefix: Option<&str>) -> Try<Vec<Warning>>
    where
        I: IntoIterator<Item = (K, Option<V>)>,
        K: Into<String>,
        V: Into<String>,
    {
        let pairs = values
            .into_iter()
            .map(|(k, v)| (k.into(), v.map(Into::into)))
            .collect();
        let env = prefix.map(|p| self.extract(p)).unwrap_or_default();
        self.load_pairs(pairs, env)
    }

    fn load_args(
        &mut self,
        prefix: Option<&str>,
        args: &[String],
    ) -> Try<(Vec<Warning>, Vec<String>)> {
        let mut rest = Vec::new();
        let mut pairs = Vec::new();
        if let Some(program) = args.first() {
            self.program_name = program.rsplit('/').next().unwrap_or_default().to_string();
            rest.push(program.clone());
        }
        let mut args = args.iter().skip(1);
        for arg in args.by_ref() {
            let trimmed = arg.trim();
            if trimmed == "--" {
                break;
            }
            match trimmed.strip_prefix("--") {
                Some(flag) => {
                    let (key, value) = match flag.split_once('=') {
                        Some((k, v)) => (k, Some(v.to_string())),
                        None => (flag, None),
                    };
                    pairs.push((key.to_lowercase(), value));
                }
                None => rest.push(arg.clone()),
            }
        }
        rest.extend(args.cloned());
        let env = prefix.map(|p| self.extract(p)).unwrap_or_default();
        let warnings = self.load_pairs(pairs, env)?;
        Ok((warnings, rest))
    }

    /// The environment variables with `prefix` that name a known flag (by
    /// name or alias, possibly `no-`), keyed by the lowercased rest.
    fn extract(&self, prefix: &str) -> Vec<(String, String)> {
        std::env::vars()
            .filter_map(|(key, value)| {
                let name = key.strip_prefix(prefix)?.to_lowercase();
                let base = name.strip_prefix("no-").unwrap_or(&name);
                (self.flags.contains_key(base) || self.aliases.contains_key(base))
                    .then_some((name, value))
            })
            .collect()
    }

    fn load_pairs(
        &mut self,
        mut pairs: Vec<(String, Option<String>)>,
        env: Vec<(String, String)>,
    ) -> Try<Vec<Warning>> {
        let explicit: HashSet<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
        pairs.extend(
            env.into_iter()
                .filter(|(k, _)| !explicit.contains(k))
                .map(|(k, v)| (k, Some(v))),
        );
        // stout walks a multimap: sorted by key, repeats in given order.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));

        let mut warnings = Vec::new();
        for (key, value) in &pairs {
            self.load_one(key, value.as_deref(), &mut warnings)?;
        }

        for (name, flag) in &self.flags {
            if flag.required() && flag.loaded_name.is_none() {
                return Err(Error::new(format!(
                    "Flag '{}' is required, but it was not provided",
                    name
                )));
            }
            if let Some(error) = flag.validators.iter().find_map(|v| v(&self.values)) {
                return Err(error);
            }
        }
        Ok(warnings)
    }

    fn load_one(&mut self, key: &str, value: Option<&str>, warnings: &mut Vec<Warning>) -> Try<()> {
        let negated = key.starts_with("no-");
        let flag_name = key.strip_prefix("no-").unwrap_or(key);
        let via_alias = self.aliases.get(flag_name);
        let name = match via_alias {
            Some(name) => name.clone(),
            None if self.flags.contains_key(flag_name) => flag_name.to_string(),
            None if self.unknowns => return Ok(()),
            None => {
                let via = if negated {
                    format!(" via '{}'", key)
                } else {
                    String::new()
                };
                return Err(Error::new(format!(
                    "Failed to load unknown flag '{}'{}",
                    flag_name, via
                )));
            }
        };
        let flag = self.flags.get_mut(&name).expect("looked up above");

        if !self.duplicates {
            if let Some(loaded) = &flag.loaded_name {
                return Err(Error::new(format!(
                    "Flag '{}' is already loaded via name '{}'",
                    flag_name, loaded
                )));
            }
        }

        let text = match (flag.boolean, negated, value) {
            (false, true, _) => {
                return Err(Error::new(format!(
                    "Failed to load non-boolean flag '{}' via '{}'",
                    flag_name, key
                )))
            }
            (false, false, None) => {
                return Err(Error::new(format!(
                    "Failed to load non-boolean flag '{}': Missing value",
                    flag_name
                )))
            }
            (false, false, Some(v)) => v,
            (true, _, None | Some("")) => {
                if negated {
                    "false"
                } else {
                    "true"
                }
            }
            (true, false, Some(v)) => v,
            (true, true, Some(v)) => {
                return Err(Error::new(format!(
                    "Failed to load boolean flag '{}' via '{}' with value '{}'",
                    flag_name, key, v
                )))
            }
        };

        let loaded = match &flag.slot {
            Some(slot) => slot.load(&mut self.values, text),
            None => bool::parse(text).map(|help| self.help = help),
        };
        loaded.map_err(|e| {
            Error::new(format!(
                "Failed to load flag '{}': Failed to load value '{}': {}",
                flag_name, text, e
            ))
        })?;

        flag.loaded_name = Some(flag_name.to_string());
        if flag.deprecated_alias && flag.alias.as_deref() == Some(flag_name) {
            warnings.push(Warning {
                message: format!("Loaded deprecated flag '{}'", flag_name),
            });
        }
        Ok(())
    }

    /// The name the flag was loaded through (an alias, maybe), else its
    /// name. `None` for an unknown flag.
    pub fn effective_name(&self, name: &str) -> Option<&str> {
        let (name, flag) = self.flags.get_key_value(name)?;
        Some(flag.loaded_name.as_deref().unwrap_or(name))
    }

    /// The current value of flag `name` as text; `None` for an unknown flag
    /// or an unset optional one.
    pub fn stringify(&self, name: &str) -> Option<String> {
        let flag = self.flags.get(name)?;
        self.stringify_flag(flag)
    }

    fn stringify_flag(&self, flag: &Flag<F>) -> Option<String> {
        match &flag.slot {
            Some(slot) => slot.stringify(&self.values),
            None => Some(FlagValue::stringify(&self.help)),
        }
    }

    /// Every flag with a value, by name, as text (what Mesos' `/flags`
    /// endpoints list).
    pub fn stringified(&self) -> BTreeMap<String, String> {
        self.flags
            .iter()
            .filter_map(|(name, flag)| {
                let value = self.stringify_flag(flag)?;
                let name = flag.loaded_name.as_deref().unwrap_or(name);
                Some((name.to_string(), value))
            })
            .collect()
    }

    /// The flags as command-line arguments, `--<effective name>=<value>`
    /// for every flag with a value, in name order (what libprocess'
    /// `subprocess` appends to a command's arguments).
    pub fn to_args(&self) -> Vec<String> {
        self.flags
            .iter()
            .filter_map(|(name, flag)| {
                let value = self.stringify_flag(flag)?;
                let name = flag.loaded_name.as_deref().unwrap_or(name);
                Some(format!("--{}={}", name, value))
            })
            .collect()
    }

    /// The flags as environment variables: `<prefix><EFFECTIVE_NAME>` for
    /// every flag with a value (stout's `buildEnvironment`).
    pub fn build_environment(&self, prefix: Option<&str>) -> BTreeMap<String, String> {
        let prefix = prefix.unwrap_or_default();
        self.flags
            .iter()
            .filter_map(|(name, flag)| {
                let value = self.stringify_flag(flag)?;
                let name = flag.loaded_name.as_deref().unwrap_or(name);
                Some((format!("{}{}", prefix, name.to_uppercase()), value))
            })
            .collect()
    }

    /// The `--help` text: an optional `message`, the usage header, then one
    /// line per flag in name order with its help and default.
    pub fn usage(&self, message: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(message) = message {
            out.push_str(message);
            out.push_str("\n\n");
        }
        match &self.usage_message {
            Some(usage) => out.push_str(usage),
            None => out.push_str(&format!("Usage: {} [options]", self.program_name)),
        }
        out.push_str("\n\n");

        let columns: Vec<(String, &Flag<F>)> = self
            .flags
            .iter()
            .map(|(name, flag)| (first_column(name, flag), flag))
            .collect();
        let width = columns.iter().map(|(c, _)| c.len()).max().unwrap_or(0) + 5;
        for (column, flag) in columns {
            let help = help_with_default(flag);
            let mut lines = help.split(['\n', '\r']).filter(|l| !l.is_empty());
            out.push_str(&format!("{:<width$}", column, width = width));
            out.push_str(lines.next().unwrap_or_default());
            out.push('\n');
            for line in lines {
                out.push_str(&format!("{:width$}{}\n", "", line, width = width));
            }
        }
        out
    }
}

fn first_column<F>(name: &str, flag: &Flag<F>) -> String {
    let form = |n: &str| {
        if flag.boolean {
            format!("--[no-]{}", n)
        } else {
            format!("--{}=VALUE", n)
        }
    };
    match &flag.alias {
        Some(alias) => format!("  {}, {}", form(name), form(alias)),
        None => format!("  {}", form(name)),
    }
}

fn help_with_default<F>(flag: &Flag<F>) -> String {
    if flag.optional {
        return flag.help.clone();
    }
    let default = flag.default.as_deref().unwrap_or_default();
    if flag.help.is_empty() || flag.help.ends_with('\n') {
        format!("{}(default: {})", flag.help, default)
    } else {
        format!("{} (default: {})", flag.help, default)
    }
}

impl<F> Deref for FlagSet<F> {
    type Target = F;

    fn deref(&self) -> &F {
        &self.values
    }
}

impl<F> DerefMut for FlagSet<F> {
    fn deref_mut(&mut self) -> &mut F {
        &mut self.values
    }
}

impl<F> fmt::Display for FlagSet<F> {
    /// `--name="value"` for every flag with a value, in name order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, flag) in &self.flags {
            let Some(value) = self.stringify_flag(flag) else {
                continue;
            };
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            let name = flag.loaded_name.as_deref().unwrap_or(name);
            write!(f, "--{}=\"{}\"", name, value)?;
        }
        Ok(())
    }
}

impl<F> fmt::Debug for FlagSet<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlagSet")
            .field("program_name", &self.program_name)
            .field("flags", &self.to_string())
            .finish()
    }
}

/// A value usable as the default of a `T` flag: a `T`, or a `&str` for a
/// `String` flag. (A plain `Into<T>` bound would stop integer literals
/// from taking the field's type.)
pub trait IntoDefault<T> {
    /// The default value.
    fn into_default(self) -> T;
}

impl<T: FlagValue> IntoDefault<T> for T {
    fn into_default(self) -> T {
        self
    }
}

impl IntoDefault<String> for &str {
    fn into_default(self) -> String {
        self.to_string()
    }
}

/// Sets the help, default, aliases and validation of a flag being added.
pub struct FlagBuilder<'a, F, T> {
    set: &'a mut FlagSet<F>,
    name: String,
    get: fn(&F) -> &T,
    get_mut: fn(&mut F) -> &mut T,
}

impl<F, T> fmt::Debug for FlagBuilder<'_, F, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlagBuilder")
            .field("name", &self.name)
            .finish()
    }
}

impl<F: 'static, T: FlagField> FlagBuilder<'_, F, T> {
    fn flag(&mut self) -> &mut Flag<F> {
        self.set
            .flags
            .get_mut(&self.name)
            .expect("the builder's flag was inserted by add")
    }

    /// The help text shown by `--help`.
    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.flag().help = text.into();
        self
    }

    /// A second name for the flag (Mesos 1.x: `agent_*` beside `slave_*`).
    pub fn alias(self, alias: &str) -> Self {
        self.add_alias(alias, false)
    }

    /// An alias whose use loads the flag with a deprecation warning.
    pub fn deprecated_alias(self, alias: &str) -> Self {
        self.add_alias(alias, true)
    }

    fn add_alias(mut self, alias: &str, deprecated: bool) -> Self {
        assert!(
            alias != self.name,
            "Attempted to add flag '{}' with an alias that is same as the flag name",
            self.name
        );
        self.set.check_new_name(alias);
        self.set
            .aliases
            .insert(alias.to_string(), self.name.clone());
        let flag = self.flag();
        flag.alias = Some(alias.to_string());
        flag.deprecated_alias = deprecated;
        self
    }

    /// Checks the value after every load (defaults included); the error is
    /// returned by the load as it is.
    pub fn validate(
        mut self,
        validator: impl Fn(&T) -> Option<Error> + Send + Sync + 'static,
    ) -> Self {
        let get = self.get;
        self.flag()
            .validators
            .push(Box::new(move |flags| validator(get(flags))));
        self
    }
}

impl<F: 'static, T: FlagValue + FlagField> FlagBuilder<'_, F, T> {
    /// The value the flag has until loaded; a flag without a default (and
    /// not an `Option`) is required.
    pub fn default(mut self, value: impl IntoDefault<T>) -> Self {
        let value = value.into_default();
        self.flag().default = Some(FlagValue::stringify(&value));
        *(self.get_mut)(&mut self.set.values) = value;
        self
    }
}

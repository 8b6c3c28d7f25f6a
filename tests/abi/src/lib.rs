//! Keel's published ABI, generated from the contracts' Rust sources.
//!
//! Every public contract and callback interface is one entry of [`INTERFACES`], made of
//! [`Source`]s:
//!
//! * the functions of a contract whose ABI is declared in Solidity inside a `sol!` block
//!   (`interface ILiquidator { ... }` in the crate), with their doc comments;
//! * the functions a stylus-sdk `#[public]` router dispatches, as the SDK's `export-abi`
//!   feature prints them, with the doc comments of the Rust methods;
//! * the errors and events declared in a file's `sol!` blocks, with their doc comments.
//!
//! [`generate`] turns each entry into `abi/<Name>.sol` (a Solidity interface with NatSpec) and
//! `abi/json/<Name>.json` (its JSON ABI, from alloy's parser of the same declarations).
//! `scripts/abi` runs the `abi-gen` binary; `scripts/abi --check` fails when `abi/` differs.

use std::{
    collections::BTreeMap,
    fmt, fs,
    path::{Path, PathBuf},
};

use alloy_json_abi::{AbiItem, JsonAbi};
use stylus_sdk::abi::GenerateAbi;
use syn_solidity::{Item, Type, VariableDeclaration};

/// How one part of an interface is found in the Rust sources (paths from the workspace root).
#[derive(Clone, Copy)]
pub enum Source {
    /// The functions of `interface <name>` in the `sol!` blocks of a file.
    Interface(&'static str, &'static str),
    /// The functions of a `#[public]` contract as stylus-sdk's `export-abi` prints them, with
    /// the doc comments of the methods of the `#[public] impl` in the file.
    Public(&'static str, fn(&mut fmt::Formatter<'_>) -> fmt::Result),
    /// Every error and event declared at the top level of the `sol!` blocks of a file.
    Declarations(&'static str),
    /// Only the named errors and events of a file: those a contract passes through verbatim.
    PassedThrough(&'static str, &'static [&'static str]),
}

/// One generated interface: `abi/<name>.sol` and `abi/json/<name>.json`.
pub struct Interface {
    /// The Solidity name, e.g. `IRiskOracle`.
    pub name: &'static str,
    /// What it is made of, in order: functions first, then errors and events.
    pub sources: &'static [Source],
}

/// `#[public]` router of the RiskOracle, described by stylus-sdk.
fn risk_oracle(f: &mut fmt::Formatter<'_>) -> fmt::Result {
    <keel_risk_oracle::RiskOracle as GenerateAbi>::fmt_abi(f)
}

/// `#[public]` router of the RiskModel, described by stylus-sdk.
fn risk_model(f: &mut fmt::Formatter<'_>) -> fmt::Result {
    <keel_risk_model::RiskModel as GenerateAbi>::fmt_abi(f)
}

/// Every interface Keel publishes. A new contract that declares its ABI like the Liquidator
/// (an `interface` plus errors and events in `sol!` blocks) is one more entry here.
pub const INTERFACES: &[Interface] = &[
    Interface {
        name: "IRiskOracle",
        sources: &[
            Source::Public("contracts/risk-oracle/src/lib.rs", risk_oracle),
            Source::Declarations("contracts/risk-oracle/src/errors.rs"),
            Source::Declarations("contracts/risk-oracle/src/events.rs"),
        ],
    },
    Interface {
        name: "IRiskModel",
        sources: &[
            Source::Public("contracts/risk-model/src/lib.rs", risk_model),
            Source::Declarations("contracts/risk-model/src/lib.rs"),
            Source::PassedThrough(
                "contracts/risk-oracle/src/errors.rs",
                &["OracleUnknownAsset"],
            ),
        ],
    },
    Interface {
        name: "ILiquidator",
        sources: &[
            Source::Interface("contracts/liquidator/src/router.rs", "ILiquidator"),
            Source::Declarations("contracts/liquidator/src/errors.rs"),
            Source::Declarations("contracts/liquidator/src/events.rs"),
        ],
    },
    Interface {
        name: "IMarginEngine",
        sources: &[
            Source::Interface("contracts/margin-engine/src/router.rs", "IMarginEngine"),
            Source::Declarations("contracts/margin-engine/src/errors.rs"),
            Source::Declarations("contracts/margin-engine/src/events.rs"),
        ],
    },
    Interface {
        name: "IBackstop",
        sources: &[
            Source::Interface("contracts/backstop/src/router.rs", "IBackstop"),
            Source::Declarations("contracts/backstop/src/errors.rs"),
            Source::Declarations("contracts/backstop/src/events.rs"),
        ],
    },
    Interface {
        name: "IMarginLens",
        sources: &[
            Source::Interface("contracts/margin-lens/src/router.rs", "IMarginLens"),
            Source::Declarations("contracts/margin-lens/src/errors.rs"),
        ],
    },
    Interface {
        name: "IDrawdownVault",
        sources: &[
            Source::Interface("contracts/drawdown-vault/src/router.rs", "IDrawdownVault"),
            Source::Declarations("contracts/drawdown-vault/src/errors.rs"),
            Source::Declarations("contracts/drawdown-vault/src/events.rs"),
        ],
    },
    Interface {
        name: "IFlashTaker",
        sources: &[Source::Interface(
            "contracts/liquidator/src/calls.rs",
            "IFlashTaker",
        )],
    },
    Interface {
        name: "IAuctionEngine",
        sources: &[Source::Interface(
            "contracts/liquidator/src/calls.rs",
            "IAuctionEngine",
        )],
    },
];

/// Pragma of the generated interfaces: custom errors need 0.8.4.
const PRAGMA: &str = "pragma solidity ^0.8.4;";

/// Longest line before a declaration's parameters are put one per line.
const MAX_LINE: usize = 100;

/// A failure to read or understand the sources.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Prefixes an error with where it happened.
fn context<T, E: fmt::Display>(result: Result<T, E>, what: impl fmt::Display) -> Result<T, Error> {
    result.map_err(|e| Error(format!("{what}: {e}")))
}

/// A generated file: its path under `abi/` and its contents.
pub type Files = BTreeMap<PathBuf, String>;

/// One declaration of an interface, with its documentation.
struct Declaration {
    /// Doc comment lines (already NatSpec).
    docs: Vec<String>,
    /// The Solidity item (an error, an event or a function).
    item: Item,
}

/// Every file of `abi/`, generated from the sources under `root` (the workspace root).
pub fn generate(root: &Path) -> Result<Files, Error> {
    let mut files = Files::new();
    for interface in INTERFACES {
        let (notice, decls) = collect(root, interface)?;
        let sol = render(interface.name, &notice, &decls)?;
        let json = json_abi(&decls)?;
        let json = context(serde_json::to_string_pretty(&json), interface.name)? + "\n";
        files.insert(PathBuf::from(format!("{}.sol", interface.name)), sol);
        files.insert(PathBuf::from(format!("json/{}.json", interface.name)), json);
    }
    Ok(files)
}

/// The paths under `dir` that differ from `files`: missing, changed, or not generated.
pub fn differences(dir: &Path, files: &Files) -> Result<Vec<PathBuf>, Error> {
    let mut differ = Vec::new();
    for (path, text) in files {
        if fs::read_to_string(dir.join(path)).ok().as_ref() != Some(text) {
            differ.push(path.clone());
        }
    }
    for path in existing(dir)? {
        if !files.contains_key(&path) {
            differ.push(path);
        }
    }
    Ok(differ)
}

/// Writes `files` under `dir` and removes any other `.sol` or `.json` file there.
pub fn write(dir: &Path, files: &Files) -> Result<(), Error> {
    for path in existing(dir)? {
        if !files.contains_key(&path) {
            context(fs::remove_file(dir.join(&path)), path.display())?;
        }
    }
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            context(fs::create_dir_all(parent), parent.display())?;
        }
        context(fs::write(&target, text), target.display())?;
    }
    Ok(())
}

/// The `.sol` and `.json` files now in `dir` (top level and `json/`), relative to it.
fn existing(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    for sub in ["", "json"] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries {
            let path = context(entry, dir.display())?.path();
            let ext = path.extension().and_then(|e| e.to_str());
            if matches!(ext, Some("sol" | "json")) {
                let name = path.file_name().unwrap_or_default();
                found.push(Path::new(sub).join(name));
            }
        }
    }
    Ok(found)
}

/// The interface's title notice and its declarations: functions, then errors, then events.
fn collect(root: &Path, interface: &Interface) -> Result<(Vec<String>, Vec<Declaration>), Error> {
    let mut notice = Vec::new();
    let mut decls = Vec::new();
    for source in interface.sources {
        match *source {
            Source::Interface(path, name) => {
                let file = RustFile::read(root, path)?;
                let contract = file
                    .sol_items()?
                    .into_iter()
                    .find_map(|item| match item {
                        Item::Contract(c) if c.name == name => Some(c),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        Error(format!("{path}: no `interface {name}` in a sol! block"))
                    })?;
                notice = natspec(&syn_docs(&contract.attrs));
                for item in contract.body {
                    if matches!(item, Item::Function(_)) {
                        decls.push(Declaration {
                            docs: natspec(&syn_docs(item.attrs().map_or(&[][..], Vec::as_slice))),
                            item,
                        });
                    }
                }
            }
            Source::Public(path, abi) => {
                let file = RustFile::read(root, path)?;
                let crate_docs = first_paragraph(&syn_docs(&file.syntax.attrs));
                notice = natspec(&crate_docs.iter().map(|l| unlink(l)).collect::<Vec<_>>());
                let docs = file.public_docs();
                let printed = Printed(abi).to_string();
                let parsed: syn_solidity::File = context(syn::parse_str(&printed), path)?;
                for item in parsed.items {
                    let Item::Contract(contract) = item else {
                        continue;
                    };
                    for item in contract.body {
                        let Item::Function(mut function) = item else {
                            continue;
                        };
                        camel_case_names(&mut function.parameters);
                        let name = function.name.as_ref().map(|n| n.to_string());
                        let docs = name.and_then(|n| docs.get(&n).cloned()).unwrap_or_default();
                        decls.push(Declaration {
                            docs: natspec(&docs),
                            item: Item::Function(function),
                        });
                    }
                }
            }
            Source::Declarations(path) => {
                decls.extend(declarations(root, path, |_| true)?);
            }
            Source::PassedThrough(path, names) => {
                decls.extend(declarations(root, path, |name| names.contains(&name))?);
            }
        }
    }
    // Functions, errors, events: each group in source order.
    decls.sort_by_key(|d| match d.item {
        Item::Function(_) => 0,
        Item::Error(_) => 1,
        _ => 2,
    });
    Ok((notice, decls))
}

/// The top-level errors and events of a file's `sol!` blocks whose names pass `keep`.
fn declarations(
    root: &Path,
    path: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<Declaration>, Error> {
    let file = RustFile::read(root, path)?;
    Ok(file
        .sol_items()?
        .into_iter()
        .filter(|item| matches!(item, Item::Error(_) | Item::Event(_)))
        .filter(|item| item.name().is_some_and(|n| keep(&n.to_string())))
        .map(|item| Declaration {
            docs: natspec(&syn_docs(item.attrs().map_or(&[][..], Vec::as_slice))),
            item,
        })
        .collect())
}

/// Makes an `export-abi` printer displayable.
struct Printed(fn(&mut fmt::Formatter<'_>) -> fmt::Result);

impl fmt::Display for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0(f)
    }
}

/// A parsed Rust source file.
struct RustFile {
    /// Its path from the workspace root, for messages.
    path: String,
    /// Its syntax tree.
    syntax: syn::File,
}

impl RustFile {
    /// Reads and parses `root/path`.
    fn read(root: &Path, path: &str) -> Result<Self, Error> {
        let text = context(fs::read_to_string(root.join(path)), path)?;
        let syntax = context(syn::parse_file(&text), path)?;
        Ok(Self {
            path: path.to_owned(),
            syntax,
        })
    }

    /// Every item of every top-level `sol! { ... }` block, in order.
    fn sol_items(&self) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        for item in &self.syntax.items {
            let syn::Item::Macro(mac) = item else {
                continue;
            };
            if mac
                .mac
                .path
                .segments
                .last()
                .is_none_or(|s| s.ident != "sol")
            {
                continue;
            }
            let file = context(syn_solidity::parse2(mac.mac.tokens.clone()), &self.path)?;
            items.extend(file.items);
        }
        Ok(items)
    }

    /// Doc lines of each method of the `#[public]` impl, by Solidity name (the
    /// `#[selector(name = "...")]` or the method name in lower camel case, as the SDK does).
    fn public_docs(&self) -> BTreeMap<String, Vec<String>> {
        let mut docs = BTreeMap::new();
        for item in &self.syntax.items {
            let syn::Item::Impl(imp) = item else {
                continue;
            };
            if !imp.attrs.iter().any(|a| a.path().is_ident("public")) {
                continue;
            }
            for item in &imp.items {
                if let syn::ImplItem::Fn(method) = item {
                    let name = selector_name(&method.attrs)
                        .unwrap_or_else(|| lower_camel(&method.sig.ident.to_string()));
                    docs.insert(name, rustdoc_to_natspec(&syn_docs(&method.attrs)));
                }
            }
        }
        docs
    }
}

/// The `name` of a `#[selector(name = "...")]` attribute.
fn selector_name(attrs: &[syn::Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("selector"))?;
    let mut name = None;
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse::<syn::LitStr>()?.value());
        }
        Ok(())
    })
    .ok()?;
    name
}

/// `snake_case` to `lowerCamelCase` (a leading underscore, the SDK's escape of a Solidity
/// keyword, is kept).
fn lower_camel(name: &str) -> String {
    let (prefix, rest) = match name.strip_prefix('_') {
        Some(rest) => ("_", rest),
        None => ("", name),
    };
    let mut out = String::from(prefix);
    let mut upper = false;
    for c in rest.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Renames `export-abi`'s Rust parameter names to Solidity style.
fn camel_case_names(params: &mut syn_solidity::ParameterList) {
    for param in params.iter_mut() {
        if let Some(name) = &mut param.name {
            let camel = lower_camel(&name.to_string());
            *name = syn_solidity::SolIdent::new(&camel);
        }
    }
}

/// The text of `#[doc = "..."]` attributes (`///` comments), one entry per line.
fn syn_docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .flat_map(|s| {
            s.split('\n')
                .map(|l| l.strip_prefix(' ').unwrap_or(l).to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The lines up to the first blank line.
fn first_paragraph(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .cloned()
        .collect()
}

/// Rust documentation of a `#[public]` method as NatSpec: the description is the `@notice`;
/// the sections (`# Errors`, `# Events`) become one `@dev`, a line each; intra-doc links become
/// their text.
fn rustdoc_to_natspec(lines: &[String]) -> Vec<String> {
    let mut notice = Vec::new();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in lines {
        let line = unlink(line);
        if let Some(heading) = line.strip_prefix("# ") {
            sections.push((heading.trim().to_owned(), String::new()));
            continue;
        }
        match sections.last_mut() {
            None => notice.push(line),
            Some((_, text)) if !line.trim().is_empty() => {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(line.trim());
            }
            Some(_) => {}
        }
    }
    for (i, (heading, text)) in sections.into_iter().enumerate() {
        let tag = if i == 0 { "@dev " } else { "" };
        notice.push(format!("{tag}{heading}: {text}"));
    }
    notice
}

/// Rustdoc links as plain text: `` [`Self::price_data`] `` → `` `priceData` `` (the Solidity
/// name), `` [`feed::check`] `` → `` `check` ``, `[text](target)` → `text`.
fn unlink(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 1..start + len];
        let mut after = &rest[start + len + 1..];
        if let Some(link) = after.strip_prefix('(') {
            after = link.find(')').map_or(after, |end| &link[end + 1..]);
        }
        match inner.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
            Some(path) => {
                let name = match path.strip_prefix("Self::") {
                    Some(method) => lower_camel(method),
                    None => path.rsplit("::").next().unwrap_or(path).to_owned(),
                };
                out.push('`');
                out.push_str(&name);
                out.push('`');
            }
            None => out.push_str(inner),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Doc lines as NatSpec: a first line without a tag is the `@notice`. Blank lines inside a
/// tag are dropped (NatSpec ends a tag at a blank line only by convention).
fn natspec(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            if i == 0 && !l.starts_with('@') {
                format!("@notice {l}")
            } else {
                l.clone()
            }
        })
        .collect()
}

/// Whether a parameter of this type needs a data location in an external function.
fn is_reference(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String(_) | Type::Bytes(_) | Type::Array(_) | Type::Tuple(_) | Type::Custom(_)
    )
}

/// A parameter as Solidity: `type [location] [name]`, adding the location a reference type
/// needs (`calldata` for arguments, `memory` for return values).
fn parameter(param: &VariableDeclaration, location: &str) -> String {
    let mut out = param.ty.to_string();
    match &param.storage {
        Some(storage) => out = format!("{out} {storage}"),
        None if is_reference(&param.ty) => out = format!("{out} {location}"),
        None => {}
    }
    if let Some(name) = &param.name {
        out = format!("{out} {}", sol_name(&name.to_string()));
    }
    out
}

/// An event parameter as Solidity: `type [indexed] [name]`.
fn event_parameter(param: &syn_solidity::EventParameter) -> String {
    let mut out = param.ty.to_string();
    if param.is_indexed() {
        out.push_str(" indexed");
    }
    if let Some(name) = &param.name {
        out = format!("{out} {}", sol_name(&name.to_string()));
    }
    out
}

/// A parameter name solc accepts: a Solidity keyword (`after`, `default`, ...), which `sol!`
/// allows, gets a leading underscore, as stylus-sdk's `export-abi` does.
fn sol_name(name: &str) -> String {
    if stylus_sdk::stylus_core::is_sol_keyword(name) {
        format!("_{name}")
    } else {
        name.to_owned()
    }
}

/// A declaration split for layout: `head(params) attributes returns (outputs);`.
struct Parts {
    /// `function name`, `event Name`, `error Name`.
    head: String,
    /// Each parameter as Solidity.
    params: Vec<String>,
    /// `external view`, `anonymous`, or nothing.
    attributes: String,
    /// The return values of a function that has them.
    returns: Option<Vec<String>>,
}

impl Parts {
    /// The declaration of one `sol!` item (an error, an event or a function).
    fn of(item: &Item) -> Result<Self, Error> {
        Ok(match item {
            Item::Error(e) => Self {
                head: format!("error {}", e.name),
                params: e.parameters.iter().map(|p| parameter(p, "")).collect(),
                attributes: String::new(),
                returns: None,
            },
            Item::Event(e) => Self {
                head: format!("event {}", e.name),
                params: e.parameters.iter().map(event_parameter).collect(),
                attributes: if e.is_anonymous() { "anonymous" } else { "" }.to_owned(),
                returns: None,
            },
            Item::Function(f) => Self {
                head: format!(
                    "function {}",
                    f.name.as_ref().map(ToString::to_string).unwrap_or_default()
                ),
                params: f
                    .parameters
                    .iter()
                    .map(|p| parameter(p, "calldata"))
                    .collect(),
                attributes: f.attributes.to_string(),
                returns: f
                    .returns
                    .as_ref()
                    .map(|r| r.returns.iter().map(|p| parameter(p, "memory")).collect()),
            },
            other => return Err(Error(format!("unexpected item in an ABI: {other}"))),
        })
    }

    /// One line, without the semicolon: the human-readable signature alloy parses.
    fn signature(&self) -> String {
        let mut out = format!("{}({})", self.head, self.params.join(", "));
        if !self.attributes.is_empty() {
            out = format!("{out} {}", self.attributes);
        }
        if let Some(returns) = &self.returns {
            out = format!("{out} returns ({})", returns.join(", "));
        }
        out
    }

    /// One line if short enough; else the style of `forge fmt`: parameters one per line if
    /// they do not fit, then each attribute and the returns on a line of their own.
    fn lines(&self) -> Vec<String> {
        let line = format!("{};", self.signature());
        if line.len() + 4 <= MAX_LINE {
            return vec![line];
        }
        let mut lines = list(&format!("{}(", self.head), &self.params, ")", "");
        if self.attributes.is_empty() && self.returns.is_none() {
            if let Some(last) = lines.last_mut() {
                last.push(';');
            }
            return lines;
        }
        for attribute in self.attributes.split_whitespace() {
            lines.push(format!("    {attribute}"));
        }
        if let Some(returns) = &self.returns {
            lines.extend(list("returns (", returns, ")", "    "));
        }
        if let Some(last) = lines.last_mut() {
            last.push(';');
        }
        lines
    }
}

/// `open` items `close` on one line (indented by `indent`) if it fits, else one item per line.
fn list(open: &str, items: &[String], close: &str, indent: &str) -> Vec<String> {
    let line = format!("{indent}{open}{}{close}", items.join(", "));
    if line.len() + 5 <= MAX_LINE || items.is_empty() {
        return vec![line];
    }
    let mut lines = vec![format!("{indent}{open}")];
    for (i, item) in items.iter().enumerate() {
        let comma = if i + 1 < items.len() { "," } else { "" };
        lines.push(format!("{indent}    {item}{comma}"));
    }
    lines.push(format!("{indent}{close}"));
    lines
}

/// The interface file.
fn render(name: &str, notice: &[String], decls: &[Declaration]) -> Result<String, Error> {
    let mut out = String::new();
    out.push_str("// SPDX-License-Identifier: MIT\n");
    out.push_str("// Generated by scripts/abi from Keel's Rust sources; do not edit.\n");
    out.push_str(PRAGMA);
    out.push_str("\n\n");
    out.push_str(&format!("/// @title {name}\n"));
    for line in notice {
        out.push_str(&format!("/// {line}\n"));
    }
    out.push_str(&format!("interface {name} {{\n"));
    for (i, decl) in decls.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for line in &decl.docs {
            out.push_str(&format!("    /// {line}\n"));
        }
        for line in Parts::of(&decl.item)?.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out.push_str("}\n");
    Ok(out)
}

/// The JSON ABI of the declarations, through alloy's parser of their signatures.
fn json_abi(decls: &[Declaration]) -> Result<JsonAbi, Error> {
    let mut items = Vec::new();
    for decl in decls {
        let signature = Parts::of(&decl.item)?.signature();
        items.push(context(AbiItem::parse(&signature), &signature)?);
    }
    Ok(items.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdk() {
        assert_eq!(lower_camel("max_jump"), "maxJump");
        assert_eq!(lower_camel("price"), "price");
        assert_eq!(lower_camel("_address"), "_address");
        assert_eq!(sol_name("after"), "_after");
        assert_eq!(sol_name("before"), "before");
    }

    #[test]
    fn links_become_solidity_names() {
        assert_eq!(
            unlink("see [`Self::price_data`] and [`feed::check`], [docs](x.md)."),
            "see `priceData` and `check`, docs."
        );
    }

    #[test]
    fn rustdoc_sections_become_one_dev_tag() {
        let lines: Vec<String> = [
            "Does it.", "", "# Errors", "`A`;", "`B`.", "", "# Events", "[`E`].",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            rustdoc_to_natspec(&lines),
            ["Does it.", "", "@dev Errors: `A`; `B`.", "Events: `E`."]
        );
        assert_eq!(
            natspec(&rustdoc_to_natspec(&lines)),
            ["@notice Does it.", "@dev Errors: `A`; `B`.", "Events: `E`."]
        );
    }

    #[test]
    fn long_declarations_are_laid_out_like_forge_fmt() {
        let file: syn_solidity::File = syn::parse_str(
            "function f(bytes data, uint256 averyveryverylongname) external view \
             returns (uint256[] ids, uint256 anotherverylongname, uint256 yetanotherlongname, bool ok);",
        )
        .expect("parse");
        let parts = Parts::of(&file.items[0]).expect("function");
        assert_eq!(
            parts.signature(),
            "function f(bytes calldata data, uint256 averyveryverylongname) external view \
             returns (uint256[] memory ids, uint256 anotherverylongname, uint256 yetanotherlongname, \
             bool ok)"
        );
        assert_eq!(
            parts.lines(),
            [
                "function f(bytes calldata data, uint256 averyveryverylongname)",
                "    external",
                "    view",
                "    returns (",
                "        uint256[] memory ids,",
                "        uint256 anotherverylongname,",
                "        uint256 yetanotherlongname,",
                "        bool ok",
                "    );",
            ]
        );
    }
}

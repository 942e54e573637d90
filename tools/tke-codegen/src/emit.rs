//! Emits the Rust source of one model version.
//!
//! The text is emitted unformatted and then run through rustfmt (see `main.rs`), so the
//! committed files are exactly what `cargo fmt` would leave.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{Api, Elem, Member, Scalar, Shape, Side, reachable};
use crate::naming::{field_ident, setter_ident};
use crate::paging::Paging;
use crate::{GENERATED_BY, VersionSpec};

/// Action-name prefixes of actions that only read.
const READ_ONLY_PREFIXES: &[&str] = &["Describe", "Get", "List", "Check", "Inquire", "Inquiry"];

/// Wire names of idempotency-token request members.
const IDEMPOTENCY_TOKENS: &[&str] = &["ClientToken"];

/// The files of one version module: `(file name, unformatted source)`.
pub(crate) fn version_module(
    spec: &VersionSpec,
    api: &Api,
    paging: &BTreeMap<String, Paging>,
) -> Result<Vec<(&'static str, String)>, String> {
    let requests = reachable(api, api.actions.values().map(|a| a.input.as_str()));
    let action_types: BTreeSet<&str> = api
        .actions
        .values()
        .flat_map(|a| [a.input.as_str(), a.output.as_str()])
        .collect();
    let cx = Cx {
        spec,
        api,
        requests,
    };

    let mut actions = String::new();
    file_header(
        &mut actions,
        spec,
        "Request and response types of every action.",
    );
    actions.push_str("use serde::ser::SerializeStruct as _;\n\nuse super::objects::*;\n\n");
    for (name, action) in &api.actions {
        let deprecated = action.status == "deprecated";
        cx.emit_struct(
            &mut actions,
            &action.input,
            Role::Request {
                action: name,
                deprecated,
            },
        )?;
        cx.emit_struct(
            &mut actions,
            &action.output,
            Role::Response { action: name },
        )?;
        cx.emit_action_impl(&mut actions, name, paging.get(name))?;
    }

    let mut objects = String::new();
    file_header(
        &mut objects,
        spec,
        "Data types shared by requests and responses.",
    );
    objects.push_str("use serde::ser::SerializeStruct as _;\n\n");
    for name in api.objects.keys() {
        if !action_types.contains(name.as_str()) {
            cx.emit_struct(&mut objects, name, Role::Object)?;
        }
    }

    let module = cx.emit_mod(paging);
    Ok(vec![
        ("mod.rs", module),
        ("actions.rs", actions),
        ("objects.rs", objects),
    ])
}

fn file_header(out: &mut String, spec: &VersionSpec, what: &str) {
    let _ = writeln!(
        out,
        "//! {} {}: {what}\n//!\n//! {GENERATED_BY}\n",
        spec.product_title, spec.api_version
    );
}

/// What a struct is.
#[derive(Clone, Copy)]
enum Role<'a> {
    Request { action: &'a str, deprecated: bool },
    Response { action: &'a str },
    Object,
}

/// One field as emitted.
struct Field {
    wire: String,
    ident: String,
    setter: String,
    shape: Shape,
    /// Wrapped in `Option`.
    optional: bool,
    required: bool,
    disabled: bool,
}

impl Field {
    fn elem_type(&self) -> String {
        match &self.shape.elem {
            Elem::Scalar(s) => scalar_type(*s).to_owned(),
            Elem::Object(o) => o.clone(),
        }
    }

    fn rust_type(&self) -> String {
        let mut t = self.elem_type();
        if self.shape.list {
            t = format!("Vec<{t}>");
        }
        if self.optional {
            t = format!("Option<{t}>");
        }
        t
    }

    /// Short doc: wire name, model type, required-ness.
    fn doc(&self, side: Side) -> String {
        let ty = &self.shape.model_type;
        let what = match ty.as_str() {
            "datetime" | "datetime_iso" => {
                format!("{ty}, kept as the text the server sent (see [`crate::lenient`])")
            }
            _ if self.shape.list => format!("list of `{ty}`"),
            _ => format!("`{ty}`"),
        };
        let mut doc = format!("`{}`: {what}", self.wire);
        match (side, self.required, self.optional) {
            (Side::Request, true, _) => doc.push_str("; required"),
            (Side::Request, false, _) if self.shape.list => {
                doc.push_str("; optional: `None` is not sent, `Some(vec![])` is sent as `[]`");
            }
            (Side::Request, false, _) => doc.push_str("; optional: `None` is not sent"),
            (Side::Response, _, true) => doc.push_str("; `None` when absent or `null`"),
            (Side::Response, _, false) if self.shape.list => {
                doc.push_str("; empty when absent or `null`");
            }
            (Side::Response, _, false) => {}
        }
        doc.push('.');
        if self.disabled {
            doc.push_str(" Not in Tencent's public documentation.");
        }
        doc
    }
}

fn scalar_type(s: Scalar) -> &'static str {
    match s {
        Scalar::Str => "String",
        Scalar::I64 => "i64",
        Scalar::U64 => "u64",
        Scalar::F64 => "f64",
        Scalar::Bool => "bool",
    }
}

struct Cx<'a> {
    spec: &'a VersionSpec,
    api: &'a Api,
    /// Objects reachable from a request (they follow request-side rules).
    requests: BTreeSet<&'a str>,
}

impl Cx<'_> {
    fn fields(&self, name: &str, role: Role<'_>, side: Side) -> Result<Vec<Field>, String> {
        let obj = &self.api.objects[name];
        let mut fields = Vec::with_capacity(obj.members.len() + 1);
        let mut idents = BTreeSet::new();
        let mut setters = BTreeSet::new();
        let mut members: Vec<&Member> = obj.members.iter().collect();
        let request_id = Member {
            name: "RequestId".to_owned(),
            kind: "string".to_owned(),
            member: "string".to_owned(),
            required: true,
            disabled: false,
        };
        let is_response = matches!(role, Role::Response { .. });
        if is_response && !members.iter().any(|m| m.name == "RequestId") {
            members.push(&request_id);
        }
        for m in members {
            let shape = Shape::of(m, self.api).map_err(|e| format!("{name}: {e}"))?;
            let required = match side {
                Side::Request => m.required,
                Side::Response => is_response && m.name == "RequestId",
            };
            let optional = match side {
                Side::Request => !m.required,
                Side::Response => !required && !shape.list,
            };
            let field = Field {
                wire: m.name.clone(),
                ident: field_ident(&m.name),
                setter: setter_ident(&m.name),
                shape,
                optional,
                required,
                disabled: m.disabled,
            };
            if !idents.insert(field.ident.clone()) || !setters.insert(field.setter.clone()) {
                return Err(format!(
                    "{name}: two members map to the Rust name {}",
                    field.ident
                ));
            }
            fields.push(field);
        }
        Ok(fields)
    }

    fn emit_struct(&self, out: &mut String, name: &str, role: Role<'_>) -> Result<(), String> {
        if [
            "Option", "Vec", "String", "Box", "Result", "Default", "Self",
        ]
        .contains(&name)
        {
            return Err(format!("object {name} shadows a prelude name"));
        }
        let side = match role {
            Role::Request { .. } => Side::Request,
            Role::Response { .. } => Side::Response,
            Role::Object if self.requests.contains(name) => Side::Request,
            Role::Object => Side::Response,
        };
        let fields = self.fields(name, role, side)?;
        let (product, version) = (self.spec.product, self.spec.api_version);

        // Type definition.
        match role {
            Role::Request { action, deprecated } => {
                let _ = writeln!(
                    out,
                    "/// Request of `{action}` ({product} {version}).\n///\n/// Build it with \
                     `Default` and the chainable setters; send it with any client that takes a \
                     [`crate::Action`]."
                );
                if deprecated {
                    out.push_str("///\n/// Tencent marks this action as deprecated.\n");
                }
            }
            Role::Response { action } => {
                let _ = writeln!(
                    out,
                    "/// Response of `{action}` ({product} {version}): the content of \
                     `{{\"Response\": {{...}}}}` on success."
                );
            }
            Role::Object => {
                let used = match side {
                    Side::Request => "used in requests (and possibly responses)",
                    Side::Response => "used in responses",
                };
                let _ = writeln!(
                    out,
                    "/// Data type `{name}` of {product} {version}, {used}."
                );
            }
        }
        out.push_str("#[derive(Debug, Clone, Default, PartialEq)]\n");
        let _ = writeln!(out, "pub struct {name} {{");
        for f in &fields {
            let _ = writeln!(
                out,
                "/// {}\npub {}: {},",
                f.doc(side),
                f.ident,
                f.rust_type()
            );
        }
        out.push_str("}\n\n");

        if side == Side::Request && !fields.is_empty() {
            self.emit_setters(out, name, &fields);
        }
        emit_serialize(out, name, &fields);
        emit_deserialize(out, name, &fields);
        Ok(())
    }

    fn emit_setters(&self, out: &mut String, name: &str, fields: &[Field]) {
        let _ = writeln!(out, "impl {name} {{");
        for f in fields {
            let wrap = |v: &str| {
                if f.optional {
                    format!("Some({v})")
                } else {
                    v.to_owned()
                }
            };
            let (params, value) = match (&f.shape.elem, f.shape.list) {
                (Elem::Scalar(Scalar::Str), false) => {
                    ("value: impl Into<String>".to_owned(), wrap("value.into()"))
                }
                (Elem::Scalar(Scalar::Str), true) => (
                    "values: impl IntoIterator<Item = impl Into<String>>".to_owned(),
                    wrap("values.into_iter().map(Into::into).collect()"),
                ),
                (_, false) => (format!("value: {}", f.elem_type()), wrap("value")),
                (_, true) => (
                    format!("values: impl IntoIterator<Item = {}>", f.elem_type()),
                    wrap("values.into_iter().collect()"),
                ),
            };
            let note = if f.shape.list && f.optional {
                " (an empty list is sent as `[]`)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "/// Sets `{}`{note}.\n#[inline]\n#[must_use]\npub fn {}(mut self, {params}) -> Self {{\nself.{} = {value};\nself\n}}",
                f.wire, f.setter, f.ident
            );
        }
        out.push_str("}\n\n");
    }

    fn emit_action_impl(
        &self,
        out: &mut String,
        action: &str,
        paging: Option<&Paging>,
    ) -> Result<(), String> {
        let def = &self.api.actions[action];
        let (req, resp) = (&def.input, &def.output);
        let read_only = READ_ONLY_PREFIXES.iter().any(|p| action.starts_with(p));
        let token = self.api.objects[req]
            .members
            .iter()
            .find(|m| IDEMPOTENCY_TOKENS.contains(&m.name.as_str()));
        let _ = writeln!(
            out,
            "impl crate::Action for {req} {{\ntype Response = {resp};\n\
             const SERVICE: &'static str = \"{}\";\n\
             const VERSION: &'static str = \"{}\";\n\
             const ACTION: &'static str = \"{action}\";\n\
             const READ_ONLY: bool = {read_only};",
            self.spec.service, self.spec.api_version
        );
        if let Some(t) = token {
            let _ = writeln!(
                out,
                "const IDEMPOTENCY_TOKEN: Option<&'static str> = Some(\"{}\");",
                t.name
            );
        }
        out.push_str("}\n\n");
        let _ = writeln!(
            out,
            "impl crate::ApiResponse for {resp} {{\nfn request_id(&self) -> &str {{\n&self.request_id\n}}\n}}\n"
        );
        if let Some(p) = paging {
            let total = match &p.total {
                Some(t) => format!("Some(\"{t}\")"),
                None => "None".to_owned(),
            };
            let total_fn = match &p.total {
                Some(t) => format!(
                    "crate::pagination::PageInt::get(&response.{})",
                    field_ident(t)
                ),
                None => "let _ = response;\nNone".to_owned(),
            };
            let _ = writeln!(
                out,
                "impl crate::Paginated for {req} {{\n\
                 type Item = {item};\n\
                 const PAGINATION: crate::Pagination = crate::Pagination {{\n\
                 offset_field: \"{o}\",\nlimit_field: \"{l}\",\nitems_field: \"{i}\",\ntotal_field: {total},\n}};\n\
                 fn offset(&self) -> Option<u64> {{\ncrate::pagination::PageInt::get(&self.{oi})\n}}\n\
                 fn set_offset(&mut self, offset: u64) {{\nself.{oi} = crate::pagination::PageInt::put(offset);\n}}\n\
                 fn limit(&self) -> Option<u64> {{\ncrate::pagination::PageInt::get(&self.{li})\n}}\n\
                 fn set_limit(&mut self, limit: u64) {{\nself.{li} = crate::pagination::PageInt::put(limit);\n}}\n\
                 fn total(response: &Self::Response) -> Option<u64> {{\n{total_fn}\n}}\n\
                 fn into_items(response: Self::Response) -> Vec<Self::Item> {{\nresponse.{ii}\n}}\n}}\n",
                item = p.item_type,
                o = p.offset,
                l = p.limit,
                i = p.items,
                oi = field_ident(&p.offset),
                li = field_ident(&p.limit),
                ii = field_ident(&p.items),
            );
        }
        Ok(())
    }

    fn emit_mod(&self, paging: &BTreeMap<String, Paging>) -> String {
        let spec = self.spec;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "//! {title} API version {version} (`{service}`): {n} actions, {paged} of them paged with \
             Offset/Limit.\n//!\n\
             //! Enabled by the Cargo feature `{feature}`. Every action `X` has a request type `XRequest` \
             (implementing [`crate::Action`]) and a response type `XResponse` (implementing \
             [`crate::ApiResponse`]); the data types they share are here too.\n//!\n\
             //! Types sent in requests: a required member is a plain field, an optional one an `Option` \
             that is not sent when `None` (for lists, `Some(vec![])` is sent as `[]`). Build them with \
             `Default` plus one chainable setter per field, named after the field (`with_<name>` where \
             the plain name would shadow a trait method, e.g. `with_default`).\n//!\n\
             //! Types only received: scalar and object members are `Option`, lists are `Vec` (empty when \
             absent or `null`). Every type decodes leniently, see [`crate::lenient`].\n//!\n\
             //! {GENERATED_BY}\n",
            title = spec.product_title,
            version = spec.api_version,
            service = spec.service,
            n = self.api.actions.len(),
            paged = paging.len(),
            feature = spec.feature,
        );
        out.push_str("mod actions;\nmod objects;\n\npub use actions::*;\npub use objects::*;\n\n");
        let _ = writeln!(
            out,
            "/// Service name (host prefix and signing service).\npub const SERVICE: &str = \"{}\";\n\
             /// API version.\npub const VERSION: &str = \"{}\";\n",
            spec.service, spec.api_version
        );
        out.push_str(
            "/// Every action of this version, in name order.\npub const ACTIONS: &[&str] = &[\n",
        );
        for a in self.api.actions.keys() {
            let _ = writeln!(out, "\"{a}\",");
        }
        out.push_str("];\n\n");
        out.push_str(
            "/// Every Offset/Limit paged action of this version with its pagination, in name order \
             (the same values as the actions' [`crate::Paginated::PAGINATION`]).\n\
             pub const PAGINATED_ACTIONS: &[(&str, crate::Pagination)] = &[\n",
        );
        for a in paging.keys() {
            let req = &self.api.actions[a].input;
            let _ = writeln!(out, "(\"{a}\", <{req} as crate::Paginated>::PAGINATION),");
        }
        out.push_str("];\n\n");
        out.push_str(
            "/// Calls [`crate::ActionVisitor::visit`] once per action of this version, in name order.\n\
             pub fn visit_actions<V: crate::ActionVisitor>(visitor: &mut V) {\n",
        );
        for a in self.api.actions.values() {
            let _ = writeln!(out, "visitor.visit::<{}>();", a.input);
        }
        out.push_str("}\n");
        out
    }
}

fn emit_serialize(out: &mut String, name: &str, fields: &[Field]) {
    let _ = writeln!(
        out,
        "impl serde::Serialize for {name} {{\nfn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    if fields.is_empty() {
        let _ = writeln!(
            out,
            "serializer.serialize_struct(\"{name}\", 0)?.end()\n}}\n}}\n"
        );
        return;
    }
    let always = fields.iter().filter(|f| !f.optional).count();
    let mut len: Vec<String> = Vec::new();
    if always > 0 {
        len.push(always.to_string());
    }
    len.extend(
        fields
            .iter()
            .filter(|f| f.optional)
            .map(|f| format!("usize::from(self.{}.is_some())", f.ident)),
    );
    let _ = writeln!(
        out,
        "let len = {};\nlet mut s = serializer.serialize_struct(\"{name}\", len)?;",
        len.join(" + ")
    );
    for f in fields {
        if f.optional {
            let _ = writeln!(
                out,
                "if let Some(v) = &self.{} {{\ns.serialize_field(\"{}\", v)?;\n}}",
                f.ident, f.wire
            );
        } else {
            let _ = writeln!(
                out,
                "s.serialize_field(\"{}\", &self.{})?;",
                f.wire, f.ident
            );
        }
    }
    out.push_str("s.end()\n}\n}\n\n");
}

fn emit_deserialize(out: &mut String, name: &str, fields: &[Field]) {
    let _ = writeln!(
        out,
        "impl<'de> serde::Deserialize<'de> for {name} {{\n\
         fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n\
         crate::lenient::deserialize_struct(deserializer)\n}}\n}}\n\n\
         impl crate::lenient::DecodeFields for {name} {{\n\
         const NAME: &'static str = \"{name}\";\n\
         fn decode_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {{"
    );
    if fields.is_empty() {
        out.push_str("let _ = key;\ncrate::lenient::skip(map)\n}\n}\n\n");
        return;
    }
    out.push_str("match key {\n");
    for f in fields {
        let call = if f.shape.list {
            "crate::lenient::next_list(map)?"
        } else {
            "crate::lenient::next(map)?"
        };
        let tail = if f.optional {
            ""
        } else {
            ".unwrap_or_default()"
        };
        let _ = writeln!(out, "\"{}\" => self.{} = {call}{tail},", f.wire, f.ident);
    }
    out.push_str("_ => crate::lenient::skip(map)?,\n}\nOk(())\n}\n}\n\n");
}

//! Every example of the model (the generated fixtures) against the generated types:
//! - every `output` decodes into its action's response type, or into the error envelope
//!   when it is an error example;
//! - decode -> encode -> decode gives an equal value;
//! - every `input` decodes into the request type, and re-encodes to an equal request.
#![cfg(any(
    feature = "tke-v20180525",
    feature = "tke-v20220501",
    feature = "clb-v20180317"
))]
// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tke_models::envelope::{decode_response, encode_response};
use tke_models::{Action, ActionVisitor, ApiResponse};

#[derive(serde::Deserialize)]
struct Entry {
    action: String,
    input: Option<Value>,
    output: Value,
}

#[derive(Debug, Default)]
struct Tally {
    outputs: usize,
    successes: usize,
    error_envelopes: usize,
    inputs: usize,
    /// Inputs whose re-encoding is byte-for-byte the example's JSON.
    inputs_reencoded_exactly: usize,
    /// Outputs whose re-encoding equals the example (others hold members the model lacks,
    /// or values of another JSON type than the model's).
    outputs_reencoded_exactly: usize,
    exceptions: Vec<String>,
}

struct Check {
    fixtures: BTreeMap<String, Vec<Entry>>,
    tally: Tally,
}

impl Check {
    fn load(file: &str) -> Check {
        let path = format!("{}/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let entries: Vec<Entry> = serde_json::from_str(&text).unwrap();
        assert!(!entries.is_empty(), "{path} has no examples");
        let mut fixtures: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for e in entries {
            fixtures.entry(e.action.clone()).or_default().push(e);
        }
        Check {
            fixtures,
            tally: Tally::default(),
        }
    }

    /// Asserts nothing failed and every fixture was matched to an action; returns the tally.
    fn finish(self, version: &str) -> Tally {
        assert!(
            self.fixtures.is_empty(),
            "{version}: examples of unknown actions: {:?}",
            self.fixtures.keys().collect::<Vec<_>>()
        );
        eprintln!("{version}: {:?}", self.tally);
        assert!(
            self.tally.exceptions.is_empty(),
            "{version}: examples that do not decode:\n{}",
            self.tally.exceptions.join("\n")
        );
        assert_eq!(
            self.tally.outputs,
            self.tally.successes + self.tally.error_envelopes
        );
        self.tally
    }
}

impl ActionVisitor for Check {
    fn visit<A>(&mut self)
    where
        A: Action + DeserializeOwned + Debug + PartialEq + Default,
        A::Response: Serialize + Debug + PartialEq + Clone,
    {
        for (i, entry) in self
            .fixtures
            .remove(A::ACTION)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let ctx = format!("{} example {i}", A::ACTION);
            self.check_output::<A>(&ctx, &entry.output);
            if let Some(input) = entry.input {
                self.check_input::<A>(&ctx, input);
            }
        }
    }
}

impl Check {
    fn check_output<A>(&mut self, ctx: &str, output: &Value)
    where
        A: Action,
        A::Response: Serialize + Debug + PartialEq,
    {
        self.tally.outputs += 1;
        let inner = &output["Response"];
        let body = serde_json::to_vec(output).unwrap();
        match decode_response::<A::Response>(&body) {
            Ok(Ok(response)) => {
                self.tally.successes += 1;
                assert!(
                    inner.get("Error").is_none(),
                    "{ctx}: an error example decoded as success"
                );
                assert_eq!(
                    response.request_id(),
                    inner["RequestId"].as_str().unwrap_or_default(),
                    "{ctx}: RequestId"
                );
                let encoded = encode_response(&response).unwrap();
                if serde_json::from_slice::<Value>(&encoded).unwrap() == *output {
                    self.tally.outputs_reencoded_exactly += 1;
                } else if std::env::var_os("SHOW_DIFF").is_some() {
                    eprintln!("{ctx}: {}", String::from_utf8_lossy(&encoded));
                }
                let again = decode_response::<A::Response>(&encoded).unwrap().unwrap();
                assert_eq!(again, response, "{ctx}: decode -> encode -> decode");
            }
            Ok(Err(error)) => {
                self.tally.error_envelopes += 1;
                assert_eq!(
                    error.error.code,
                    inner["Error"]["Code"].as_str().unwrap(),
                    "{ctx}"
                );
                assert_eq!(
                    error.request_id,
                    inner["RequestId"].as_str().unwrap_or_default()
                );
                let again = decode_response::<A::Response>(&error.to_body()).unwrap();
                assert_eq!(again, Err(error), "{ctx}: error envelope round trip");
            }
            Err(e) => self.tally.exceptions.push(format!("{ctx}: {e}")),
        }
    }

    fn check_input<A>(&mut self, ctx: &str, input: Value)
    where
        A: Action + DeserializeOwned + Debug + PartialEq,
    {
        self.tally.inputs += 1;
        let request: A = match serde_json::from_value(input.clone()) {
            Ok(r) => r,
            Err(e) => {
                self.tally.exceptions.push(format!("{ctx}: input: {e}"));
                return;
            }
        };
        let encoded = serde_json::to_value(&request).unwrap();
        let again: A = serde_json::from_value(encoded.clone()).unwrap();
        assert_eq!(again, request, "{ctx}: input decode -> encode -> decode");
        if encoded == input {
            self.tally.inputs_reencoded_exactly += 1;
        }
    }
}

#[cfg(feature = "tke-v20180525")]
#[test]
fn tke_v20180525_examples() {
    use tke_models::tke::v20180525 as m;
    let mut check = Check::load("tke-v20180525-examples.json");
    m::visit_actions(&mut check);
    let t = check.finish("tke 2018-05-25");
    assert_eq!(t.outputs, 303);
    assert_eq!(t.error_envelopes, 9);
    assert_eq!(t.inputs, 303);
}

#[cfg(feature = "tke-v20220501")]
#[test]
fn tke_v20220501_examples() {
    use tke_models::tke::v20220501 as m;
    let mut check = Check::load("tke-v20220501-examples.json");
    m::visit_actions(&mut check);
    let t = check.finish("tke 2022-05-01");
    assert_eq!(t.outputs, 26);
    assert_eq!(t.inputs, 26);
}

#[cfg(feature = "clb-v20180317")]
#[test]
fn clb_v20180317_examples() {
    use tke_models::clb::v20180317 as m;
    let mut check = Check::load("clb-v20180317-examples.json");
    m::visit_actions(&mut check);
    let t = check.finish("clb 2018-03-17");
    assert_eq!(t.outputs, 210);
    assert_eq!(t.inputs, 210);
}

//! The one create/edit form every kind shares. Its fields come from the STIX
//! crate ([`cairn_stix::forms::fields`]); markings, labels, author and
//! confidence have widgets of their own. On submit the object is checked by
//! the STIX crate here, then saved through `save_object`, which checks it again;
//! errors show at their field.

use std::collections::BTreeMap;

use cairn_model::ListFilter;
use cairn_stix::forms::{Field, Widget, fields, fixed_properties};
use cairn_stix::types::{Family, TYPES};
use cairn_stix::{Kind, StixMapping};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::editing::save_object;
use crate::error::AppError;
use crate::knowledge::list_objects;
use crate::widgets::{held_markings, known_labels};

/// A field's entered value: text for most widgets, picked objects for references.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Text(RwSignal<String>),
    Picked(RwSignal<Vec<(String, String)>>),
}

/// Properties with a widget of their own, beside the generated fields.
const OWN_WIDGETS: &[&str] = &["confidence", "created_by_ref", "object_marking_refs"];

/// Errors by STIX property; `""` for the object as a whole.
type Errors = RwSignal<BTreeMap<String, String>>;

/// The form for creating an object of `kind` (no `existing`) or editing
/// `existing` (its STIX JSON). `on_saved` gets the stored id.
#[component]
pub fn ObjectForm(
    kind: &'static Kind,
    #[prop(optional)] existing: Option<Value>,
    #[prop(into)] on_saved: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let editing = existing.is_some();
    let first_type = existing
        .as_ref()
        .and_then(|e| e.get("type"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| match kind.stix {
            StixMapping::Observables => "ipv4-addr".to_owned(),
            other => other.stix_type().to_owned(),
        });
    let stix_type = RwSignal::new(first_type);
    let existing = StoredValue::new(existing.unwrap_or_else(|| json!({})));
    let errors: Errors = RwSignal::new(BTreeMap::new());
    let busy = RwSignal::new(false);
    let sco = move || cairn_stix::types::is_sco_type(&stix_type.get());

    // Shared widgets: markings, labels, author, confidence.
    let markings = RwSignal::new(strings(&existing.get_value(), "object_marking_refs"));
    let label_key = move || {
        if sco() { "x_opencti_labels" } else { "labels" }
    };
    let labels = RwSignal::new(
        strings(&existing.get_value(), "labels")
            .into_iter()
            .chain(strings(&existing.get_value(), "x_opencti_labels"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let author = RwSignal::new(
        existing
            .get_value()
            .get("created_by_ref")
            .and_then(Value::as_str)
            .map(|id| vec![(id.to_owned(), id.to_owned())])
            .unwrap_or_default(),
    );
    let confidence = RwSignal::new(
        existing
            .get_value()
            .get("confidence")
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );

    // The type's own fields, rebuilt when an observable's type changes.
    let form_fields = Memo::new(move |_| fields(&stix_type.get(), Some(kind)));
    let entries = Memo::new(move |_| {
        let existing = existing.get_value();
        form_fields
            .get()
            .into_iter()
            .map(|f| {
                let entry = initial_entry(&f, existing.get(f.name));
                (f, entry)
            })
            .collect::<Vec<_>>()
    });

    let submit = move || {
        errors.set(BTreeMap::new());
        let mut object = match existing.get_value() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        object.insert("type".into(), Value::String(stix_type.get_untracked()));
        for (name, value) in fixed_properties(kind) {
            object.insert(name.into(), Value::String(value));
        }
        let mut found = BTreeMap::new();
        for (field, entry) in entries.get_untracked() {
            match read_entry(&field, entry) {
                Ok(Some(value)) => {
                    object.insert(field.name.into(), value);
                }
                Ok(None) => {
                    object.remove(field.name);
                }
                Err(message) => {
                    found.insert(field.name.to_owned(), message);
                }
            }
        }
        set_list(&mut object, "object_marking_refs", markings.get_untracked());
        let label_list: Vec<String> = labels
            .get_untracked()
            .split(',')
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        object.remove("labels");
        object.remove("x_opencti_labels");
        set_list(&mut object, label_key(), label_list);
        if !sco() {
            match author.get_untracked().first() {
                Some((id, _)) => object.insert("created_by_ref".into(), Value::String(id.clone())),
                None => object.remove("created_by_ref"),
            };
            let text = confidence.get_untracked();
            match text.trim() {
                "" => {
                    object.remove("confidence");
                }
                text => match text.parse::<i64>() {
                    Ok(n) => {
                        object.insert("confidence".into(), Value::from(n));
                    }
                    Err(_) => {
                        found.insert("confidence".into(), "must be a whole number".into());
                    }
                },
            }
        }
        found.extend(check(&object, editing));
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        busy.set(true);
        let text = Value::Object(object).to_string();
        leptos::task::spawn_local(async move {
            match save_object(text).await {
                Ok(id) => on_saved.run(id),
                Err(AppError::Invalid { field, message }) => {
                    errors.set(BTreeMap::from([(field, message)]));
                }
                Err(other) => errors.set(BTreeMap::from([(String::new(), other.to_string())])),
            }
            busy.set(false);
        });
    };

    let observable_types: Vec<&'static str> = TYPES
        .iter()
        .filter(|t| t.family == Family::Sco)
        .map(|t| t.name)
        .collect();
    let held = held_markings();
    let known = known_labels();
    let title = if editing {
        format!("Edit {}", kind.label.to_lowercase())
    } else {
        format!("New {}", kind.label.to_lowercase())
    };
    view! {
        <form class="object-form" data-testid="object-form" on:submit=move |e| {
            e.prevent_default();
            submit();
        }>
            <h2>{title}</h2>
            {move || {
                // Errors about properties without a field of their own show on top.
                let own: Vec<&str> = form_fields.with(|f| f.iter().map(|f| f.name).collect());
                let others: Vec<String> = errors.with(|e| {
                    e.iter()
                        .filter(|(k, _)| !own.contains(&k.as_str()) && !OWN_WIDGETS.contains(&k.as_str()))
                        .map(|(k, m)| if k.is_empty() { m.clone() } else { format!("{k}: {m}") })
                        .collect()
                });
                (!others.is_empty()).then(|| view! {
                    <p class="error" role="alert" data-testid="form-error">{others.join("; ")}</p>
                })
            }}
            {(kind.stix == StixMapping::Observables && !editing).then(move || view! {
                <label class="field">
                    <span>"Observable type"</span>
                    <select data-testid="field-type" on:change=move |e| stix_type.set(event_target_value(&e))>
                        {observable_types.into_iter().map(|t| view! {
                            <option value=t selected=move || stix_type.get() == t>{t}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            {move || entries.get().into_iter().map(|(field, entry)| {
                view! { <FieldInput field entry errors /> }
            }).collect_view()}
            <Show when=move || !sco()>
                <label class="field">
                    <span>"Confidence (0–100)"</span>
                    <input type="number" min="0" max="100" data-testid="field-confidence"
                        prop:value=move || confidence.get()
                        on:input=move |e| confidence.set(event_target_value(&e)) />
                    <FieldError name="confidence" errors />
                </label>
                <div class="field">
                    <span>"Author"</span>
                    <RefPicker types=&["identity"] picked=author multiple=false testid="field-created_by_ref" />
                    <FieldError name="created_by_ref" errors />
                </div>
            </Show>
            <label class="field">
                <span>"Labels (comma separated)"</span>
                <input type="text" list="form-labels" data-testid="field-labels"
                    prop:value=move || labels.get()
                    on:input=move |e| labels.set(event_target_value(&e)) />
                <datalist id="form-labels">
                    {move || known.get().into_iter().map(|l| view! { <option value=l /> }).collect_view()}
                </datalist>
            </label>
            <fieldset class="field">
                <legend>"Markings"</legend>
                {move || held.get().into_iter().map(|m| {
                    let id = m.id.clone();
                    let checked = markings.with(|list| list.contains(&id));
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=checked on:change=move |e| {
                                let on = event_target_checked(&e);
                                let id = id.clone();
                                markings.update(|list| {
                                    list.retain(|x| *x != id);
                                    if on { list.push(id); }
                                });
                            } />
                            {m.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <FieldError name="object_marking_refs" errors />
            </fieldset>
            <div class="form-actions">
                <button type="submit" data-testid="form-save" disabled=move || busy.get()>
                    {if editing { "Save changes" } else { "Create" }}
                </button>
                <button type="button" class="link-button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// The error shown under field `name`, if any.
#[component]
fn FieldError(name: &'static str, errors: Errors) -> impl IntoView {
    move || {
        errors.with(|e| e.get(name).cloned()).map(|message| {
            view! { <span class="field-error" role="alert" data-testid=format!("error-{name}")>{message}</span> }
        })
    }
}

/// One generated field.
#[component]
fn FieldInput(field: Field, entry: Entry, errors: Errors) -> impl IntoView {
    let name = field.name;
    let testid = format!("field-{name}");
    let label = if field.required {
        format!("{} *", field.label)
    } else {
        field.label.clone()
    };
    let input = match (field.widget.clone(), entry) {
        (Widget::LongText | Widget::Strings | Widget::KillChainPhases | Widget::Json, Entry::Text(text)) => {
            let hint = match field.widget {
                Widget::Strings => "One per line",
                Widget::KillChainPhases => "One kill_chain_name:phase_name per line",
                Widget::Json => "JSON",
                _ => "",
            };
            view! {
                <textarea rows="4" data-testid=testid placeholder=hint required=field.required
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))></textarea>
            }
            .into_any()
        }
        (Widget::Checkbox, Entry::Text(text)) => view! {
            <input type="checkbox" data-testid=testid
                prop:checked=move || text.get() == "true"
                on:change=move |e| text.set(if event_target_checked(&e) { "true".into() } else { String::new() }) />
        }
        .into_any(),
        (Widget::Timestamp, Entry::Text(text)) => view! {
            <input type="datetime-local" step="1" data-testid=testid required=field.required
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e)) />
        }
        .into_any(),
        (Widget::Integer { min, max }, Entry::Text(text)) => view! {
            <input type="number" min=min.to_string() max=max.to_string() data-testid=testid
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e)) />
        }
        .into_any(),
        (Widget::Float { .. }, Entry::Text(text)) => view! {
            <input type="number" step="any" data-testid=testid
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e)) />
        }
        .into_any(),
        (Widget::Choice { options, open }, Entry::Text(text)) => {
            if open {
                let list = format!("options-{name}");
                view! {
                    <input type="text" list=list.clone() data-testid=testid required=field.required
                        prop:value=move || text.get()
                        on:input=move |e| text.set(event_target_value(&e)) />
                    <datalist id=list>
                        {options.iter().map(|o| view! { <option value=*o /> }).collect_view()}
                    </datalist>
                }
                .into_any()
            } else {
                view! {
                    <select data-testid=testid on:change=move |e| text.set(event_target_value(&e))>
                        <option value="" selected=move || text.get().is_empty()>"—"</option>
                        {options.iter().map(|o| view! {
                            <option value=*o selected=move || text.get() == *o>{*o}</option>
                        }).collect_view()}
                    </select>
                }
                .into_any()
            }
        }
        (Widget::Choices { options, .. }, Entry::Text(text)) => view! {
            <div class="choices" data-testid=testid>
                {options.iter().map(|o| {
                    let o = *o;
                    view! {
                        <label class="check">
                            <input type="checkbox"
                                prop:checked=move || text.with(|t| t.split(',').any(|x| x == o))
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    text.update(|t| {
                                        let mut list: Vec<&str> = t.split(',').filter(|x| !x.is_empty() && *x != o).collect();
                                        if on { list.push(o); }
                                        *t = list.join(",");
                                    });
                                } />
                            {o}
                        </label>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        (Widget::Reference { types }, Entry::Picked(picked)) => {
            view! { <RefPicker types picked multiple=false testid=testid /> }.into_any()
        }
        (Widget::References { types }, Entry::Picked(picked)) => {
            view! { <RefPicker types picked multiple=true testid=testid /> }.into_any()
        }
        (_, Entry::Text(text)) => view! {
            <input type="text" data-testid=testid required=field.required
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e)) />
        }
        .into_any(),
        (_, Entry::Picked(_)) => ().into_any(),
    };
    view! {
        <div class="field">
            <span>{label}</span>
            {input}
            <FieldError name errors />
        </div>
    }
}

/// A searchable picker of stored objects of `types` (any when empty) or of
/// the registry kinds `kinds`.
#[component]
pub fn RefPicker(
    types: &'static [&'static str],
    picked: RwSignal<Vec<(String, String)>>,
    multiple: bool,
    #[prop(into)] testid: String,
    #[prop(optional, into)] kinds: Signal<Vec<String>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let options = LocalResource::new(move || {
        let text = text.get();
        let filter = ListFilter {
            types: types.iter().map(|t| (*t).to_owned()).collect(),
            kinds: kinds.get(),
            name_contains: Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
            ..ListFilter::default()
        };
        list_objects(filter, None, 8)
    });
    view! {
        <div class="ref-picker" data-testid=testid>
            <ul class="picked">
                {move || picked.get().into_iter().map(|(id, name)| {
                    let remove = id.clone();
                    view! {
                        <li data-testid="picked">
                            <span title=id>{name}</span>
                            <button type="button" class="link-button" aria-label="Remove"
                                on:click=move |_| picked.update(|p| p.retain(|(i, _)| *i != remove))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <input type="search" placeholder="Search by name" data-testid="picker-search"
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e)) />
            <ul class="picker-options">
                {move || match options.get() {
                    Some(Ok(page)) => page.items.into_iter().map(|o| {
                        let name = o.name.clone().or(o.value.clone()).unwrap_or_else(|| o.stix_id.clone());
                        let id = o.stix_id.clone();
                        let shown = format!("{name} ({})", o.kind.clone().unwrap_or(o.stix_type.clone()));
                        view! {
                            <li>
                                <button type="button" class="option" data-testid="picker-option" on:click=move |_| {
                                    let entry = (id.clone(), name.clone());
                                    picked.update(|p| {
                                        if !multiple { p.clear(); }
                                        if !p.iter().any(|(i, _)| *i == entry.0) { p.push(entry); }
                                    });
                                    text.set(String::new());
                                }>{shown}</button>
                            </li>
                        }
                    }).collect_view().into_any(),
                    Some(Err(error)) => view! { <li class="error">{error.to_string()}</li> }.into_any(),
                    None => ().into_any(),
                }}
            </ul>
        </div>
    }
}

fn strings(object: &Value, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn set_list(object: &mut Map<String, Value>, key: &str, list: Vec<String>) {
    if list.is_empty() {
        object.remove(key);
    } else {
        object.insert(key.into(), Value::from(list));
    }
}

/// The entry for `field`, filled from the stored value.
fn initial_entry(field: &Field, value: Option<&Value>) -> Entry {
    match field.widget {
        Widget::Reference { .. } => Entry::Picked(RwSignal::new(
            value
                .and_then(Value::as_str)
                .map(|id| vec![(id.to_owned(), id.to_owned())])
                .unwrap_or_default(),
        )),
        Widget::References { .. } => Entry::Picked(RwSignal::new(
            value
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|id| (id.to_owned(), id.to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        )),
        _ => Entry::Text(RwSignal::new(to_text(&field.widget, value))),
    }
}

/// A stored value as the text its widget shows.
fn to_text(widget: &Widget, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return match widget {
            // A new indicator is valid from now.
            Widget::Timestamp => String::new(),
            _ => String::new(),
        };
    };
    match (widget, value) {
        (Widget::Timestamp, Value::String(s)) => s.get(..19).unwrap_or(s).to_owned(),
        (Widget::Checkbox, Value::Bool(true)) => "true".into(),
        (Widget::Checkbox, _) => String::new(),
        (Widget::Strings, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        (Widget::Choices { .. }, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        (Widget::KillChainPhases, Value::Array(a)) => a
            .iter()
            .filter_map(|p| {
                Some(format!(
                    "{}:{}",
                    p.get("kill_chain_name")?.as_str()?,
                    p.get("phase_name")?.as_str()?
                ))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (Widget::Json, value) => serde_json::to_string_pretty(value).unwrap_or_default(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// The JSON value of an entry: `None` when empty, an error message when it
/// cannot be read.
fn read_entry(field: &Field, entry: Entry) -> Result<Option<Value>, String> {
    let text = match entry {
        Entry::Picked(picked) => {
            let ids: Vec<String> = picked
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            return Ok(match field.widget {
                Widget::Reference { .. } => ids.into_iter().next().map(Value::String),
                _ if ids.is_empty() => None,
                _ => Some(Value::from(ids)),
            });
        }
        Entry::Text(text) => text.get_untracked(),
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let lines = || {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    Ok(Some(match &field.widget {
        Widget::Checkbox => Value::Bool(true),
        Widget::Integer { .. } => Value::from(
            text.parse::<i64>()
                .map_err(|_| "must be a whole number".to_owned())?,
        ),
        Widget::Float { .. } => Value::from(
            text.parse::<f64>()
                .map_err(|_| "must be a number".to_owned())?,
        ),
        // `datetime-local` gives minutes or seconds, read as UTC.
        Widget::Timestamp => {
            let full = if text.len() == 16 {
                format!("{text}:00")
            } else {
                text.to_owned()
            };
            Value::String(format!("{}Z", full.trim_end_matches('Z')))
        }
        Widget::Strings => Value::from(lines()),
        Widget::Choices { .. } => Value::from(
            text.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>(),
        ),
        Widget::KillChainPhases => Value::Array(
            lines()
                .iter()
                .map(|line| {
                    let (chain, phase) = line
                        .split_once(':')
                        .ok_or_else(|| format!("`{line}` is not kill_chain_name:phase_name"))?;
                    Ok(json!({ "kill_chain_name": chain.trim(), "phase_name": phase.trim() }))
                })
                .collect::<Result<Vec<_>, String>>()?,
        ),
        Widget::Json => {
            serde_json::from_str(text).map_err(|e| format!("is not valid JSON: {e}"))?
        }
        _ => Value::String(text.to_owned()),
    }))
}

/// The STIX crate's errors for the object as it would be stored, by property.
fn check(object: &Map<String, Value>, editing: bool) -> BTreeMap<String, String> {
    let mut probe = object.clone();
    let ty = probe
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // What the server fills in on creation, so that it is not reported missing.
    if !editing {
        probe.insert(
            "id".into(),
            Value::String(format!("{ty}--00000000-0000-4000-8000-000000000000")),
        );
        probe.insert(
            "created".into(),
            Value::String("2000-01-01T00:00:00Z".into()),
        );
        probe.insert(
            "modified".into(),
            Value::String("2000-01-01T00:00:00Z".into()),
        );
    }
    probe.insert("spec_version".into(), Value::String("2.1".into()));
    let text = Value::Object(probe).to_string();
    let Ok(parsed) = serde_json::from_str::<cairn_stix::Object<'_>>(&text) else {
        return BTreeMap::new();
    };
    cairn_stix::validate(&parsed)
        .issues
        .into_iter()
        .filter(|i| i.severity == cairn_stix::Severity::Error)
        .map(|i| {
            let field = i
                .path
                .split(['.', '['])
                .next()
                .unwrap_or_default()
                .to_owned();
            (field, i.message)
        })
        .collect()
}

use super::*;

fn pieces(body: &str) -> Vec<Piece> {
    parse(body, 0).unwrap()
}

fn one(body: &str) -> Shortcode {
    match pieces(body).as_slice() {
        [Piece::Shortcode(s)] => s.clone(),
        other => panic!("{other:?}"),
    }
}

fn error(body: &str) -> SyntaxError {
    parse(body, 0).unwrap_err()
}

#[test]
fn reads_names_and_every_kind_of_value() {
    let s = one(r#"CSAT was {{ metric(name="csat", periods=12, share=0.5, low=-3, ci=true, where=["a=b", 'c=d']) }}."#);
    assert_eq!(s.name, "metric");
    let values: Vec<(&str, &Value)> = s.args.iter().map(|a| (a.key.as_str(), &a.value)).collect();
    assert_eq!(values[0], ("name", &Value::Str("csat".into())));
    assert_eq!(values[1], ("periods", &Value::Int(12)));
    assert_eq!(values[2], ("share", &Value::Float(0.5)));
    assert_eq!(values[3], ("low", &Value::Int(-3)));
    assert_eq!(values[4], ("ci", &Value::Bool(true)));
    let Value::List(items) = values[5].1 else { panic!() };
    assert_eq!(
        items.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>(),
        [Value::Str("a=b".into()), Value::Str("c=d".into())]
    );
}

#[test]
fn spans_point_at_the_name_and_each_argument() {
    let body = "x {{metric( name = \"csat\" ,period='2026-10',) }} y";
    let s = one(body);
    assert_eq!(&body[s.span.clone()], "{{metric( name = \"csat\" ,period='2026-10',) }}");
    assert_eq!(&body[s.name_span.clone()], "metric");
    assert_eq!(&body[s.args[0].key_span.clone()], "name");
    assert_eq!(&body[s.args[0].value_span.clone()], "\"csat\"");
    assert_eq!(&body[s.args[1].value_span.clone()], "'2026-10'");
}

#[test]
fn spans_are_offsets_into_the_whole_file() {
    let text = "+++\ntitle = \"T\"\n+++\nLine one\nand {{ table(by=\"channel\") }}\n";
    let body = text.find("Line").unwrap();
    let [Piece::Shortcode(s)]: [Piece; 1] = parse(text, body).unwrap().try_into().unwrap() else { panic!() };
    assert_eq!(&text[s.name_span.clone()], "table");
    let d = Diagnostic::new("x").at(text, s.name_span, "here");
    assert_eq!(d.line_column(), Some((5, 8)));
}

#[test]
fn strings_take_escapes_and_either_quote() {
    let s = one(r#"{{ x(a="say \"hi\"\\", b='it\'s', c="tab\there") }}"#);
    assert_eq!(s.args[0].value, Value::Str("say \"hi\"\\".into()));
    assert_eq!(s.args[1].value, Value::Str("it's".into()));
    assert_eq!(s.args[2].value, Value::Str("tab\there".into()));
}

#[test]
fn shortcodes_may_span_lines_and_take_no_arguments() {
    assert_eq!(one("{{ chart(\n  kind=\"trend\",\n  periods=6\n) }}").args.len(), 2);
    assert!(one("{{ chart() }}").args.is_empty());
}

#[test]
fn code_is_left_alone() {
    let body = "`{{ metric(name=\"x\") }}` and\n\n```\n{{ nonsense\n```\n\n    {{ indented\n\nthen {{ metric() }}\n";
    let all = pieces(body);
    assert_eq!(all.len(), 1);
    let Piece::Shortcode(s) = &all[0] else { panic!() };
    assert_eq!(&body[s.span.clone()], "{{ metric() }}");
}

#[test]
fn escapes_are_written_out_as_shortcodes() {
    let all = pieces("Write {{/* metric(name=\"csat\") */}} to quote CSAT.");
    assert_eq!(all.len(), 1);
    let Piece::Literal { text, .. } = &all[0] else { panic!() };
    assert_eq!(text, "{{ metric(name=\"csat\") }}");
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let cases = [
        ("Hello {{ there", "expected `(` after `there`", ""),
        ("Price {{ $x }}", "`{{` starts a shortcode, but no shortcode name follows", "{{"),
        ("{{ metric name=1 }}", "expected `(` after `metric`", "n"),
        ("{{ metric(name) }}", "expected `=` after `name`", ")"),
        ("{{ metric(name=csat) }}", "`csat` is not a value", "csat"),
        ("{{ metric(name=\"csat) }}", "the string is not closed", "\""),
        ("{{ metric(name=\"csat\" period=\"x\") }}", "expected `,` or `)` after an argument", "p"),
        ("{{ metric(name=\"csat\") }", "expected `}}` to close the shortcode", "}"),
        ("{{ metric(name=\"a\", name=\"b\") }}", "`name` is given twice", "name"),
        ("{{ metric(n=1.2.3) }}", "`1.2.3` is not a number", "1.2.3"),
        ("{{ metric(a=\"\\q\") }}", "unknown escape in a string", "\\"),
        ("{{/* metric() }}", "the escaped shortcode is not closed", "{{/*"),
    ];
    for (body, message, at) in cases {
        let e = error(body);
        assert_eq!(e.message, message, "{body}");
        assert_eq!(&body[e.span.clone()], at, "{body}");
    }
}

#[test]
fn a_string_does_not_run_on_past_its_line() {
    let e = error("{{ metric(name=\"csat) }}\n\nMore text with a \" quote.");
    assert_eq!(e.message, "the string is not closed on its line");
}

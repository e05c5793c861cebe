//! The team's rules, case by case: adding, changing and removing agents, and the lockout.

use super::*;

fn member(id: &str, role: Role, status: Status) -> Member {
    Member {
        id: id.into(),
        name: id.to_uppercase(),
        email: format!("{id}@shop.test"),
        role,
        status,
        teams: vec![],
    }
}

fn team() -> Vec<Member> {
    vec![
        member("ana", Role::Admin, Status::Active),
        member("ben", Role::Agent, Status::Active),
        member("cy", Role::Admin, Status::Invited),
    ]
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_new_member_is_tidied_and_checked_field_by_field() {
    let teams = vec!["billing".to_string()];
    let ok = NewMember {
        name: "  Dee ".into(),
        email: " Dee@Shop.TEST ".into(),
        role: Role::Agent,
        teams: vec!["billing".into()],
    }
    .checked(&team(), &teams)
    .unwrap();
    assert_eq!(
        (ok.name.as_str(), ok.email.as_str()),
        ("Dee", "dee@shop.test")
    );

    let bad = NewMember {
        name: " ".into(),
        email: "BEN@shop.test".into(),
        role: Role::Agent,
        teams: vec!["sales".into()],
    }
    .checked(&team(), &teams)
    .unwrap_err();
    assert_eq!(fields(&bad), ["name", "email", "teams"]);
    assert!(bad[1].problem.contains("has an account already"));
    assert!(bad[2].problem.contains("no team sales"));
    for email in [
        "dee",
        "dee@shop",
        "@shop.test",
        "dee@.test",
        "d ee@shop.test",
    ] {
        let e = NewMember {
            name: "Dee".into(),
            email: email.into(),
            ..Default::default()
        }
        .checked(&team(), &teams)
        .unwrap_err();
        assert_eq!(fields(&e), ["email"], "{email}");
    }
}

#[test]
fn there_is_always_an_active_admin() {
    let demote = MemberChange {
        role: Some(Role::Agent),
        ..Default::default()
    };
    let e = change(&team(), "ana", demote.clone(), &[]).unwrap_err();
    assert_eq!(fields(&e), ["role"]);
    let disable = MemberChange {
        status: Some(Status::Disabled),
        ..Default::default()
    };
    assert!(change(&team(), "ana", disable.clone(), &[]).is_err());
    assert!(
        may_remove(&team(), "ana").is_err(),
        "an invited admin does not count"
    );
    // With a second active admin, either may go.
    let mut two = team();
    two[1].role = Role::Admin;
    assert_eq!(change(&two, "ana", demote, &[]).unwrap().role, Role::Agent);
    assert_eq!(
        change(&two, "ana", disable, &[]).unwrap().status,
        Status::Disabled
    );
    assert!(may_remove(&two, "ana").is_ok());
    assert!(may_remove(&team(), "ben").is_ok());
}

#[test]
fn a_change_names_what_is_wrong_and_leaves_the_rest() {
    let e = change(
        &team(),
        "ben",
        MemberChange {
            name: Some("".into()),
            teams: Some(vec!["nope".into()]),
            ..Default::default()
        },
        &["billing".into()],
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["name", "teams"]);
    let e = change(
        &team(),
        "cy",
        MemberChange {
            status: Some(Status::Active),
            ..Default::default()
        },
        &[],
    )
    .unwrap_err();
    assert!(e[0].problem.contains("invitation"));
    assert!(change(&team(), "zed", MemberChange::default(), &[]).is_err());
    let renamed = change(
        &team(),
        "ben",
        MemberChange {
            name: Some(" Benjamin ".into()),
            ..Default::default()
        },
        &[],
    )
    .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.role),
        ("Benjamin", Role::Agent)
    );
}

#[test]
fn team_ids_are_words_named_once() {
    let teams = vec!["billing".to_string()];
    assert!(team_problem("soporte", &teams).is_none());
    assert!(team_problem("billing", &teams)
        .unwrap()
        .problem
        .contains("already"));
    assert!(team_problem("", &teams).is_some());
    assert!(team_problem("two words", &teams).is_some());
}

const MIN: u64 = 60_000;

#[test]
fn ten_failures_for_an_email_lock_it_until_the_oldest_leaves_the_window() {
    let now = Millis(100 * MIN);
    let nine: Vec<Millis> = (0..9).map(|i| Millis(now.0 - 9 * MIN + i * 1000)).collect();
    assert_eq!(locked_for(&nine, &[], now), None);
    let mut ten = nine.clone();
    ten.push(Millis(now.0 - 1000));
    // The oldest of the ten was 9 minutes ago: one more minute.
    assert_eq!(locked_for(&ten, &[], now), Some(MIN));
    // Failures older than the window do not count.
    let old: Vec<Millis> = (0..20).map(|i| Millis(now.0 - 11 * MIN - i)).collect();
    assert_eq!(locked_for(&old, &[], now), None);
}

#[test]
fn thirty_failures_from_one_client_lock_it_whatever_the_emails() {
    let now = Millis(100 * MIN);
    let many: Vec<Millis> = (0..30).map(|i| Millis(now.0 - 5 * MIN + i)).collect();
    assert_eq!(locked_for(&[], &many[..29], now), None);
    assert_eq!(locked_for(&[], &many, now), Some(5 * MIN));
    // Both locked: the longer wait.
    let email: Vec<Millis> = (0..10).map(|i| Millis(now.0 - 2 * MIN + i)).collect();
    assert_eq!(locked_for(&email, &many, now), Some(8 * MIN));
}

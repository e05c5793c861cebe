//! Knowledge bases in Spanish, French and German: their words and the visitors' are
//! stemmed in the knowledge base's language, so other forms of a word still match.

use baton_assistant::{KnowledgeBase, Reply};

fn kb(entries: &[(&str, &str, &str)]) -> KnowledgeBase {
    let entries: Vec<serde_json::Value> = entries
        .iter()
        .map(|(id, q, a)| serde_json::json!({"id": id, "questions": [q], "answer": a}))
        .collect();
    KnowledgeBase::from_json(&serde_json::json!({ "entries": entries }).to_string()).unwrap()
}

fn answered(kb: &KnowledgeBase, question: &str) -> Option<String> {
    match kb.answer(question) {
        Reply::Answer { entry_id, .. } => Some(entry_id),
        Reply::Unknown { .. } => None,
    }
}

#[test]
fn inflected_words_match_in_each_language() {
    let spanish = kb(&[
        (
            "envios",
            "¿Hacen envíos internacionales?",
            "Enviamos a toda Europa y a Canadá.",
        ),
        (
            "devoluciones",
            "¿Cómo devuelvo un producto?",
            "Tiene 60 días para devolverlo desde su cuenta.",
        ),
        (
            "tallas",
            "¿Qué talla elijo?",
            "Cada producto tiene su guía de tallas.",
        ),
    ]);
    assert_eq!(
        answered(&spanish, "envío internacional").as_deref(),
        Some("envios")
    );
    assert_eq!(
        answered(&spanish, "¿qué tallas elijo?").as_deref(),
        Some("tallas")
    );

    let french = kb(&[
        (
            "livraison",
            "Quels sont les délais de livraison ?",
            "Les commandes arrivent en 3 jours.",
        ),
        (
            "retours",
            "Comment retourner un article ?",
            "Vous avez 60 jours pour retourner vos articles.",
        ),
        (
            "tailles",
            "Comment choisir ma taille ?",
            "Chaque produit a son guide des tailles.",
        ),
    ]);
    assert_eq!(
        answered(&french, "quel délai pour les livraisons").as_deref(),
        Some("livraison")
    );
    assert_eq!(
        answered(&french, "retourné un article").as_deref(),
        Some("retours")
    );

    let german = kb(&[
        (
            "versand",
            "Wie lange dauert der Versand?",
            "Die Lieferung dauert 3 Tage.",
        ),
        (
            "rueckgabe",
            "Wie funktioniert die Rückgabe?",
            "Sie haben 60 Tage für die Rückgabe Ihrer Artikel.",
        ),
        (
            "groessen",
            "Welche Größe passt mir?",
            "Jeder Artikel hat eine Größentabelle.",
        ),
    ]);
    assert_eq!(
        answered(&german, "Lieferungen dauern wie lange").as_deref(),
        Some("versand")
    );
    assert_eq!(
        answered(&german, "wie funktioniert die Rückgabe von Artikeln").as_deref(),
        Some("rueckgabe")
    );
}

"""The words suppliers print next to each value, in English, German, French, Dutch, Spanish and Italian.

Without a per-supplier template, a label is the only reliable anchor: the
value is on the same line to its right or on the line below.  Labels are
written here as printed ("Rechnungs-Nr.", "N° de facture") and folded at
import time, so case, accents and punctuation never matter.  Each label
carries a strength: how surely it introduces that field ("Invoice number"
is sure, a bare "Date" is not).  Distractor fields ("Leistungsdatum",
"Kundennummer", "Solde à payer"...) exist so that the longer, more precise
label wins over a generic one it contains: "Lieferschein-Datum" is not the
invoice date although it contains "Datum".

A phrase may introduce several fields ("TVA" before a VAT number or before
a tax amount); the value found next to it decides which one it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Fields read by the extractor.
NUMBER = "number"  # the document number
TITLE = "title"  # "Invoice", "Rechnung"...: a title that may precede the number
CREDIT_TITLE = "credit_title"  # a title that makes the document a credit note
ISSUE_DATE = "issue_date"
DUE_DATE = "due_date"
DEBIT = "debit"  # direct debit wording: the debit date is the due date
TOTAL = "total"
UNTAXED = "untaxed"
TAX = "tax"
TOTAL_QUALIFIER = "total_qualifier"  # "(incl. VAT)" after a label
UNTAXED_QUALIFIER = "untaxed_qualifier"  # "(excl. VAT)" after a label
PO = "po"
VAT = "vat"  # a VAT identification number
CUSTOMER_VAT = "customer_vat"
OWN_VAT = "own_vat"  # the issuer's VAT number said to be its own ("Unsere USt-IdNr."): the seller's wherever printed
COMPANY_ID = "company_id"  # SIRET, KvK, HRB, ABN...
SUPPLIER_ROLE = "supplier_role"  # the block that names the seller
CUSTOMER_ROLE = "customer_role"  # the block that names the buyer
DELIVERY_ROLE = "delivery_role"  # the delivery address block
CURRENCY = "currency"  # "Beträge in EUR", "Currency: GBP"
PHONE = "phone"
EMAIL = "email"
IBAN = "iban"
TABLE_HEADER = "table_header"  # column titles of the line-item table
# Distractors: labels that only exist to hide a shorter label they contain.
OTHER = "other"

# fmt: off
_VOCABULARY: dict[str, dict[float, tuple[str, ...]]] = {
    NUMBER: {
        0.95: (
            # en
            "Invoice number", "Invoice No", "Invoice No.", "Invoice Nr", "Invoice #", "Invoice ID", "Inv. No",
            "Invoice num", "Invoice ref", "Invoice reference",
            "Credit note number", "Credit note no", "Credit memo number", "Bill number",
            "Bill no", "Tax invoice number", "Tax invoice no",
            # de
            "Rechnungsnummer", "Rechnungs-Nr", "Rechnung Nr", "Rechnungsnr", "Rechnungs-Nummer", "Re.-Nr", "Re-Nr",
            "Gutschriftsnummer", "Gutschrift Nr", "Gutschrift-Nr", "Korrekturrechnung Nr",
            "Rg.-Nr", "Rg-Nr", "Rechn.-Nr", "Rech.-Nr", "Gutschriftnummer", "Rechnung Nummer",
            # fr
            "Numéro de facture", "N° de facture", "No de facture", "Facture N°", "Facture No", "Facture numéro",
            "N° facture", "Réf. facture", "Référence facture", "Numéro d'avoir", "N° d'avoir", "Avoir N°", "Avoir No",
            "Numéro facture", "Numéro de la facture", "N° de la facture", "N° fact.",
            # nl
            "Factuurnummer", "Factuurnr", "Factuur nr", "Factuur nummer", "Creditnotanummer", "Creditnota nr",
            "Creditnotanr", "Nummer factuur", "Creditfactuurnummer", "Fact. nr", "Factuur no",
            # es
            "Número de factura", "Nº de factura", "N.º de factura", "Nº factura", "Factura nº", "Factura N°",
            "Núm. factura", "Número factura", "Factura núm", "Núm. de factura", "No. de factura", "N° de factura",
            "N° factura", "Factura número", "Número de la factura", "Nº Fra.", "Fra. Nº", "Núm. Fra.",
            # it
            "Numero fattura", "N. fattura", "Nr. fattura", "Fattura n.", "Fattura N°", "Fattura nr", "Numero documento",
            "Fattura numero", "Numero della fattura", "N° fattura", "Nº fattura", "Num. fattura",
            "Numero nota di credito", "Nota di credito n.",
        ),
        0.85: (
            "Beleg-Nr", "Belegnummer", "Belegnr", "Document number", "Document no", "Doc. No", "Dokumentnummer",
            "Receipt number", "Receipt no",
        ),
        # a hotel's or a travel agent's receipt is numbered by the booking it pays: the document's number
        # where no invoice number is printed, below any invoice number label when one is
        0.5: (
            "Booking ID", "Booking number", "Booking no", "Booking reference", "Booking ref", "Reservation number",
            "Reservation no", "Reservation ID", "Confirmation number", "Buchungsnummer", "Reservierungsnummer",
            "Numéro de réservation", "N° de réservation", "Boekingsnummer", "Reserveringsnummer",
            "Número de reserva", "Nº de reserva", "Numero di prenotazione", "N. prenotazione",
        ),
    },
    TITLE: {
        0.55: (
            "Invoice", "Tax invoice", "Commercial invoice", "Rechnung", "Warenrechnung", "Kostenrechnung",
            "Facture", "Factuur", "Nota", "Bill",
            # compounds and the other languages' titles
            "Handelsrechnung", "Sammelrechnung", "Teilrechnung", "Schlussrechnung", "Abschlagsrechnung",
            "Monatsrechnung", "Endrechnung", "Baurechnung", "Beitragsrechnung", "Jahresrechnung", "Mietrechnung",
            "Reparaturrechnung", "Honorarrechnung", "Servicerechnung", "Anzahlungsrechnung", "Zwischenrechnung",
            "Vorauszahlungsrechnung", "Facture d'acompte", "Factuur voorschot", "Fattura d'acconto",
            "Facture commerciale", "Factura", "Factura comercial", "Fattura", "Fattura commerciale",
        ),
    },
    CREDIT_TITLE: {
        0.55: (
            "Credit note", "Credit memo", "Credit invoice", "Gutschrift", "Rechnungskorrektur", "Rechnungs-Korrektur",
            "Korrekturrechnung", "Stornorechnung", "Avoir", "Facture d'avoir", "Note de crédit", "Creditnota",
            "Creditfactuur", "Credit nota", "Nota de crédito", "Factura rectificativa", "Nota di credito",
            # a credit note's number label says what the document is, too
            "Credit note number", "Credit note no", "Credit memo number", "Gutschriftsnummer", "Gutschrift Nr",
            "Gutschrift-Nr", "Korrekturrechnung Nr", "Numéro d'avoir", "N° d'avoir", "Avoir N°", "Avoir No",
            "Creditnotanummer", "Creditnota nr", "Creditnotanr", "Credit note date", "Gutschriftsdatum",
            "Gutschriftnummer", "Creditfactuurnummer", "Numero nota di credito", "Nota di credito n.",
            "Date de l'avoir", "Date d'avoir", "Creditnotadatum", "Gutschriftsbetrag",
        ),
    },
    ISSUE_DATE: {
        0.95: (
            "Invoice date", "Date of invoice", "Invoice Date:", "Date of issue", "Issue date", "Date issued",
            "Billing date", "Credit note date", "Rechnungsdatum", "Rechnungs-Datum", "Datum der Rechnung",
            "Belegdatum", "Beleg-Datum", "Ausstellungsdatum", "Gutschriftsdatum", "Date de facture",
            "Date de facturation", "Date d'émission", "Date de l'avoir", "Date facture", "Date d'avoir",
            "Factuurdatum", "Datum factuur", "Factuur datum", "Creditnotadatum",
            "Fecha de factura", "Fecha factura", "Fecha de emisión", "Fecha emisión", "Fecha de expedición",
            "Fecha expedición", "Data fattura", "Data doc",
            "Data documento", "Data di emissione", "Data emissione", "Data della fattura",
            # en, de, fr, nl, es, it: the other common spellings and abbreviations
            "Bill date", "Date invoiced", "Invoice issue date", "Inv. date", "Rg.-Datum", "Rg-Datum", "Rechn.-Datum",
            "Rech.-Datum", "Re.-Datum", "Date fact.",
            "Re-Datum", "Datum Rechnung", "Ausgestellt am", "Datum der Ausstellung", "Date de la facture",
            "Date d'émission de la facture", "Émise le", "Datum van de factuur", "Uitgiftedatum",
            "Datum van uitgifte", "Fecha de la factura", "Fecha emisión factura", "Fecha de emisión de la factura",
            "Data emissione fattura", "Data di emissione fattura", "Data di fatturazione", "Data fatturazione",
            "Fecha fra.",
        ),
        0.8: (
            "Issued on", "Issued at", "Dated", "Document date", "Dokumentdatum", "Erstellungsdatum", "Date document",
            "Date du document", "Documentdatum", "Fecha documento", "Fecha del documento",
        ),
        0.6: ("Date", "Datum", "Fecha", "Data"),
    },
    DUE_DATE: {
        0.95: (
            "Due date", "Payment due", "Payment due date", "Date due", "Due by", "Pay by", "Payable by",
            "Please pay by", "Payable until", "Fällig am", "Fälligkeitsdatum", "Fällig bis", "Fälligkeit",
            "Zahlbar bis", "Zahlbar bis zum", "Zahlungstermin", "Date d'échéance", "Échéance",
            "Date limite de paiement",
            "À payer avant le", "A régler avant le", "Payable le", "À régler le", "Vervaldatum", "Vervaldag",
            "Uiterste betaaldatum", "Te betalen voor", "Betalen voor", "Uiterlijk te betalen op", "Betaaldatum",
            "Fecha de vencimiento", "Fecha vencimiento", "Vencimiento", "Data scadenza", "Data di scadenza",
            "Scadenza", "Fecha límite de pago", "Vence el", "Scadenza pagamento", "Data scadenza pagamento",
            "Payment due by", "Payment due on", "Due on", "Payment deadline", "Pay before", "Fälligkeitstag",
            "Fälligk.", "Zahlbar am", "Zahlbar spätestens", "Zahlbar spätestens bis", "Zahlbar bis spätestens",
            "Date limite de règlement", "Date échéance", "À payer le", "Payable avant le", "Te voldoen voor",
            "Uiterlijk te voldoen op", "Uiterlijk betalen op", "Vervalt op", "Fecha vto", "Fecha de vto",
            "Pagar antes de", "Pagadero antes de", "Scadenza fattura", "Data scadenza fattura", "Da pagare entro",
            "Da pagare entro il", "Pagamento entro il", "Payable on",
        ),
        0.85: (
            "Please remit until", "Please remit by", "Bitte überweisen Sie bis zum", "Bitte überweisen Sie bis",
            "Bitte zahlen Sie bis zum", "Bitte zahlen Sie bis", "Merci de régler avant le", "Gelieve te betalen voor",
        ),
        0.7: ("netto bis", "net by", "Due"),
        0.6: ("Zahlbar", "Payable", "Zahlungsziel", "Zahlungsfrist", "Fällig"),
    },
    DEBIT: {
        0.6: (
            "Lastschrift", "SEPA-Lastschrift", "eingezogen", "abgebucht", "direct debit", "debited", "prélèvement",
            "prélevé", "incasso", "automatische incasso", "geïncasseerd", "afgeschreven",
        ),
    },
    TOTAL: {
        0.9: (
            # en
            "Total amount", "Total due", "Total amount due", "Grand total", "Invoice total", "Total incl. VAT",
            "Total including VAT", "Total inc. VAT", "Total incl. tax", "Total including tax", "Amount payable",
            "Total payable", "Total to pay", "Total invoice amount", "Total gross",
            "Total invoice value", "Invoice value", "Invoice amount", "Total amount payable", "Gross total",
            "Total incl. GST", "Total inc. GST", "Total including GST", "Amount to pay", "Total amount to pay",
            # de
            "Gesamtbetrag", "Gesamtsumme", "Endbetrag", "Rechnungsbetrag", "Rechnungssumme brutto", "Summe brutto",
            "Bruttobetrag", "Summe inkl. USt", "Summe inkl. MwSt", "Gesamt inkl. MwSt", "Gesamt inkl. USt",
            "Gesamtbetrag brutto", "Brutto gesamt", "Total brutto", "Zu zahlen", "Zahlbetrag", "Rechnungsendbetrag",
            "Gutschriftsbetrag", "Brutto-Betrag", "Bruttosumme", "Endsumme", "Rechnungsbetrag brutto", "Gesamt brutto",
            "Zu zahlender Betrag", "Zahlungsbetrag",
            # fr
            "Total TTC", "Montant TTC", "Total à payer", "Net à payer", "Montant total TTC", "Total général",
            "Montant à payer", "Total de la facture", "Total facture", "Montant net à payer", "Montant à régler",
            "Total à régler", "Total dû", "Montant dû", "Total TVAC",
            # nl
            "Totaal incl. btw", "Totaal inclusief btw", "Totaalbedrag", "Totaal te betalen", "Te betalen bedrag",
            "Factuurbedrag", "Totaal bedrag", "Factuurtotaal", "Eindtotaal", "Totaal te voldoen", "Totaal factuur",
            # es, it
            "Total factura", "Importe total", "Total a pagar", "Total importe", "Totale fattura", "Totale documento",
            "Totale da pagare", "Importo totale", "Netto a pagare", "Total IVA incluido", "Total con IVA",
            "Importe a pagar", "Total de la factura", "Total documento", "Totale a pagare", "Importo da pagare",
            "Totale IVA inclusa", "Totale complessivo", "Totale generale",
        ),
        0.75: (
            "Amount due", "Due payable", "Te betalen", "Totaal", "Montant total", "Summe inkl.", "Total incl.",
            "Te voldoen",
        ),
        0.6: ("Total", "Gesamt", "Brutto", "Rechnungssumme", "Balance due", "Totale", "Saldo adeudado"),
        0.5: ("Summe",),
        0.4: ("Der Betrag in Höhe von", "The amount of", "Le montant de"),
    },
    UNTAXED: {
        0.9: (
            # en
            "Net total", "Net amount", "Total net", "Total excl. VAT", "Total excluding VAT", "Total before tax",
            "Total before VAT", "Amount excl. VAT", "Total excl. tax", "Total ex VAT", "Total ex. VAT",
            "Total net amount", "Total taxable value", "Taxable value", "Total excl. GST", "Total ex GST",
            "Net value", "Total net value", "Amount before tax", "Total without VAT", "Untaxed amount", "Untaxed total",
            "Amount excl. tax",
            # de
            "Nettobetrag", "Summe netto", "Nettosumme", "Rechnungssumme netto", "Gesamt netto", "Gesamtbetrag netto",
            "Netto gesamt", "Total netto", "Warenwert netto", "Summe exkl. MwSt", "Summe exkl. USt", "Nettowert gesamt",
            "Netto-Betrag", "Netto-Summe", "Rechnungsbetrag netto", "Gesamtsumme netto", "Nettorechnungsbetrag",
            # fr
            "Total HT", "Montant HT", "Total hors taxes", "Montant hors taxes", "Sous-total HT", "Total H.T.",
            "Montant total HT", "Total hors TVA", "Montant hors TVA", "Total net HT", "Total HTVA",
            # nl
            "Totaal excl. btw", "Totaal exclusief btw", "Netto bedrag", "Bedrag excl. btw", "Totaal netto",
            "Netto totaal", "Bedrag exclusief btw", "Totaalbedrag excl. btw",
            # es, it
            "Base imponible", "Importe neto", "Total base imponible", "Imponibile", "Totale imponibile",
            "Imponibile IVA", "Totale netto", "Total sin IVA", "Importe sin IVA", "Total neto", "Imponibile totale",
            "Totale senza IVA",
        ),
        0.55: (
            "Subtotal", "Sub-total", "Sub total", "Sous-total", "Subtotaal", "Netto", "Net", "Taxable amount",
            "Total parcial", "Subtotale",
        ),
        0.45: ("Zwischensumme", "Warenwert", "Nettowert"),
        # the qualifier alone labelling the untaxed row of a totals box ("Exclusief BTW  € 593,36" over
        # "BTW 21%  € 124,61" and "Totaal  € 717,97"), printed where the line prices include the tax
        0.58: (
            "Excl. VAT", "Excluding VAT", "Excl. tax", "Excluding tax", "Exkl. MwSt", "Exkl. USt", "Ohne MwSt",
            "Ohne USt", "Hors taxes", "Hors TVA", "Excl. btw", "Exclusief btw",
        ),
        # an insurer's bill: the premium before the insurance premium tax
        0.6: ("Nettobeitrag", "Gesamtbeitrag", "Net premium", "Prime nette", "Prime HT", "Premio netto"),
    },
    TAX: {
        0.9: (
            # en
            "Total VAT", "VAT total", "VAT amount", "Total tax", "Tax total", "Tax amount", "Total GST", "GST amount",
            "Total taxes", "Sales tax", "Total sales tax", "Total VAT amount", "Total GST amount", "GST total",
            # de
            "MwSt.-Betrag", "MwSt-Betrag", "USt-Betrag", "USt.-Betrag", "Summe Umsatzsteuer", "Summe MwSt",
            "Summe USt", "USt. Gesamt", "MwSt. Gesamt", "Gesamt USt", "Gesamt MwSt", "Steuerbetrag",
            "Umsatzsteuerbetrag", "Mehrwertsteuerbetrag", "MwSt.-Summe", "USt.-Summe", "Umsatzsteuer gesamt",
            "Mehrwertsteuer gesamt", "Summe Mehrwertsteuer", "Steuer gesamt",
            # fr
            "Total TVA", "Montant TVA", "Montant de la TVA", "Total taxes", "Total des taxes", "Montant total TVA",
            "Total T.V.A.",
            # nl
            "Totaal btw", "Btw-bedrag", "BTW bedrag", "Bedrag btw", "Totaal BTW", "Btw totaal", "Totaal btw-bedrag",
            # es, it
            "Cuota IVA", "Total IVA", "Importe IVA", "Totale IVA", "Importo IVA", "Totale imposta", "Total impuestos",
            "Totale imposte", "IVA total", "Cuota de IVA", "Importe de IVA", "Total cuota IVA", "IVA totale",
        ),
        0.7: ("Zuzügl. USt", "Zuzüglich USt", "zzgl. USt", "zzgl. MwSt", "zuzüglich MwSt", "plus VAT", "Taxes"),
        0.6: ("Umsatzsteuer", "Mehrwertsteuer", "Tax", "GST", "Imposta", "Impuesto"),
        # insurance premium tax, charged instead of VAT on an insurer's bill
        0.65: ("Versicherungsteuer", "Versicherungssteuer", "Insurance premium tax", "Taxe sur les assurances"),
        0.5: ("VAT", "TVA", "MwSt", "USt", "BTW", "Taxe", "IVA"),
    },
    TOTAL_QUALIFIER: {
        0.5: (
            "incl. VAT", "inc. VAT", "including VAT", "incl. tax", "inkl. USt", "inkl. MwSt", "incl. USt",
            "TTC", "incl. btw", "inclusief btw", "brutto", "gross", "incl. GST", "inc. GST", "IVA incluido",
            "IVA incluida", "IVA inclusa", "IVA compresa", "TVAC",
        ),
    },
    UNTAXED_QUALIFIER: {
        0.5: (
            "excl. VAT", "ex VAT", "excluding VAT", "excl. tax", "excl. USt", "exkl. USt", "excl. MwSt", "exkl. MwSt",
            "ohne MwSt", "ohne USt", "HT", "hors taxes", "hors TVA", "excl. btw", "exclusief btw", "netto",
            "excl. GST", "ex GST", "sin IVA", "IVA excluido", "IVA esclusa", "senza IVA", "HTVA",
        ),
    },
    PO: {
        0.9: (
            # en
            "PO number", "PO No", "PO #", "P.O. number", "P.O. No", "Purchase order", "Purchase order number",
            "Purchase order no", "Order number", "Order no", "Order No.", "Order ref", "Order reference",
            "Your order", "Your order no", "Your order number", "Your PO", "Customer PO",
            "Purchase order reference", "PO reference", "Customer order number", "Customer order no",
            "Purchase order ref", "Buyer order reference", "Buyer's order number", "PO ref",
            "Your purchase order", "Your order ref", "Your order reference",
            "PO Ref", "P.O. Ref",
            # de
            "Bestellnummer", "Bestell-Nr", "Bestellnr", "Bestellung Nr", "Ihre Bestellung", "Ihre Bestellnummer",
            "Ihre Bestell-Nr", "Ihr Auftrag", "Ihre Auftragsnummer", "Ihre Bestellung Nr", "Bestellreferenz",
            "Kundenbestellnummer", "Kunden-Bestellnummer", "Bestell-Nr Kunde", "Bestellnummer Kunde", "Bestell-Nummer",
            "Bestellnummer des Kunden", "Bestellnummer des Käufers", "Bestellzeichen", "Ihr Bestellzeichen",
            "Bestell-Referenz", "Referenz der Bestellung", "Ihren Auftrag", "Ihrer Bestellung", "PO-Nummer", "PO-Nr",
            "Ihre Bestellreferenz", "Ihr Auftrag Nr", "Bestellnummer Käufer",
            # one label for the order's date and number, the date first ("Bestelldatum/-nummer: 01.03.2018 / 4711")
            "Bestelldatum/-nummer", "Bestelldatum/-Nr", "Order date/number", "Order date/No",
            # fr
            "N° de commande", "Numéro de commande", "Bon de commande", "Votre commande", "Réf. commande",
            "Référence commande", "Commande N°", "Commande n", "Votre bon de commande", "Référence de la commande",
            "Référence de commande", "Commande client", "N° commande client", "Réf. commande client",
            "Référence commande client", "Référence du bon de commande", "N° BC", "Réf. BC",
            "N° de bon de commande", "Numéro de bon de commande", "Réf. de commande", "Votre N° de commande",
            "Votre référence commande",
            # nl
            "Inkoopordernummer", "Inkooporder", "Bestelnummer", "Uw bestelling", "Uw bestelnummer", "Ordernummer",
            "Inkoopnummer", "Uw ordernummer", "Inkooporderreferentie", "Referentie inkooporder", "Ordernummer klant",
            "Uw inkoopordernummer", "Uw order", "Bestelreferentie", "Referentie bestelling",
            # es, it
            "Número de pedido", "Nº de pedido", "Nº pedido", "Su pedido", "Su referencia", "Orden de compra",
            "Número de orden de compra", "Nº orden de compra", "Nº de orden de compra", "Pedido del cliente",
            "Nº de pedido del cliente", "Número de pedido del cliente", "Pedido nº", "Su nº de pedido",
            "Su número de pedido", "Referencia del pedido", "Referencia pedido", "Ref. pedido",
            "Referencia de pedido", "Riferimento d'ordine",
            "Numero ordine", "N. ordine", "Vostro ordine", "Rif. ordine", "Riferimento ordine", "Ordine d'acquisto",
            "Ordine di acquisto", "Riferimento ordine d'acquisto", "Ordine cliente", "N. ordine cliente",
            "Numero ordine cliente", "Vs. ordine", "Vostro ordine n.", "Ordine n.", "Rif. vs. ordine",
            "Riferimento vostro ordine", "Numero d'ordine", "N. d'ordine",
        ),
        0.75: (
            # EN 16931 pages print the buyer's routing reference (BT-10, a Leitweg-ID) as "Buyer reference",
            # beside the order's own label: a reference, not the order, when both are printed
            "Buyer reference",
            "PO", "P.O.", "Your ref", "Your reference", "Customer reference", "Customer ref", "Client reference",
            "Ihre Referenz", "Ihr Zeichen", "Votre référence", "Votre réf", "Référence client", "Uw referentie",
            "Uw kenmerk", "Uw ref",
            # the buyer's own reference in the other languages ("Your reference", "Customer reference")
            "Kundenreferenz", "Referenz des Kunden", "Réf. client", "Votre réf.", "Klantreferentie", "Referentie klant",
            "Referencia cliente", "Referencia del cliente", "Su ref.", "Vostro riferimento", "Vs. riferimento",
            "Vs. rif.", "Riferimento cliente", "Rif. cliente",
            # a web shop's number for the order the buyer placed: the buyer's order, but not a purchase order's
            "Order ID",
        ),
        0.5: ("Bestellung", "Commande", "Order", "Bestelling", "Auftragsnummer", "Pedido", "Ordine"),
    },
    VAT: {
        0.95: (
            "VAT No", "VAT number", "VAT ID", "VAT-ID", "VAT Reg No", "VAT registration number", "VAT reg",
            "VAT identification number", "Tax ID", "GST No", "GST number", "USt-IdNr", "USt-ID", "USt-Id-Nr",
            "UStIdNr", "USt.-Identnr", "USt-Identnr", "Umsatzsteuer-ID", "Umsatzsteuer-Identifikationsnummer",
            "USt-IdentNr", "UID", "UID-Nr", "Numéro de TVA", "N° TVA", "N° de TVA", "TVA intracommunautaire",
            "N° TVA intracommunautaire", "Identifiant TVA", "N° TVA intra", "TVA intra", "N° TVA intracom",
            "TVA intracom", "Numéro de TVA intracommunautaire", "BTW-nummer", "BTW nr", "BTW-nr", "BTW nummer",
            "BTW-id", "BTW identificatienummer", "Btw-identificatienummer", "ABN", "GSTIN", "NIF", "CIF",
            "NIF/CIF", "N.I.F.", "Partita IVA", "P. IVA", "P.IVA", "Numero di partita IVA",
            "USt-Ident-Nr", "Umsatzsteuer-IdNr", "UID-Nummer", "MWST-Nr", "N° d'identification TVA",
            "VAT registration no", "N° intracommunautaire", "Numéro intracommunautaire", "Omzetbelastingnummer",
            "Numéro d'identification TVA", "C.I.F.", "CIF/NIF", "NIF-IVA", "Part. IVA", "Partita I.V.A.",
        ),
        0.6: ("VAT", "TVA", "BTW", "USt", "MwSt", "GST", "IVA", "MWST"),
    },
    CUSTOMER_VAT: {
        0.95: (
            "Customer VAT", "Customer VAT number", "Customer VAT No", "Customer VAT ID", "Buyer VAT", "Your VAT",
            "Your VAT number", "Your VAT No", "Your VAT ID", "Ihre USt-IdNr", "Ihre USt.-IdentNr", "Ihre USt-ID",
            "Ihre UID", "USt-IdNr des Kunden", "USt-IdNr Kunde", "Kunden-USt-IdNr", "N° TVA client", "TVA client",
            "Votre N° TVA", "Votre numéro de TVA", "N° TVA du client", "BTW klant", "BTW-nummer klant", "Uw BTW-nummer",
            "Uw btw nr", "Client VAT", "Client VAT number", "Buyer VAT number", "Buyer VAT ID", "Ihre USt-Id-Nr",
            "USt-ID Kunde", "Kunden-USt-ID", "N° TVA intracommunautaire client", "TVA intracom client",
            "Btw-nummer afnemer", "NIF cliente", "NIF del cliente", "CIF cliente", "P.IVA cliente",
            "Partita IVA cliente",
        ),
    },
    OWN_VAT: {
        0.95: (
            "Unsere USt-IdNr", "Unsere USt-ID", "Unsere USt.-IdentNr", "Unsere Umsatzsteuer-ID", "Our VAT number",
            "Our VAT No", "Our VAT ID", "Our VAT reg no", "Notre N° TVA", "Notre numéro de TVA",
            "Notre TVA intracommunautaire", "Ons BTW-nummer", "Onze BTW-nummer",
        ),
    },
    COMPANY_ID: {
        0.9: (
            "SIRET", "SIREN", "RCS", "KvK", "KvK-nummer", "KvK nr", "Kamer van Koophandel", "HRB", "HRA",
            "Handelsregister", "Handelsreg.", "Registergericht", "Company number", "Company No", "Company reg. no",
            "Registration number", "Registered number", "Ondernemingsnummer", "RPR", "ACN", "UEN", "GSTIN",
            "Steuernummer", "Steuer-Nr", "Steuernr", "St.-Nr.", "Codice fiscale", "C.F.", "REA", "Registro Mercantil",
            "Company registration number", "Company reg no", "Chamber of Commerce", "Handelsregisternummer",
            "N° SIRET", "Numéro SIRET", "N° SIREN", "Registre du commerce", "Registro delle imprese",
        ),
    },
    SUPPLIER_ROLE: {
        0.9: (
            "Rechnungsersteller", "Seller", "Supplier", "Vendor", "From", "Lieferant", "Verkäufer", "Absender",
            "Fournisseur", "Vendeur", "Émetteur", "Leverancier", "Verkoper", "Afzender", "Issued by", "Sold by",
            "Proveedor", "Emisor", "Vendedor", "Fornitore", "Cedente", "Venditore",
            # a marketplace's page names the seller it sold for ("Sold by" in the six languages)
            "Verkauft von", "Verkauf durch", "Vendu par", "Verkocht door", "Vendido por", "Venduto da",
            # a service's provider (Handwerk, Dienstleistung, §14 UStG wording)
            "Rechnungssteller", "Leistungserbringer", "Auftragnehmer",
            # "invoiced by" in the six languages
            "Invoice from", "Bill from", "Facturé par", "Émis par", "Gefactureerd door", "Facturado por",
            "Fatturato da", "Emesso da", "Rechnungsaussteller", "Prestataire", "Dienstverlener", "Prestatore",
        ),
    },
    CUSTOMER_ROLE: {
        0.9: (
            "Bill to", "Billed to", "Invoice to", "Invoice address", "Billing address", "Customer", "Buyer",
            "Sold to", "Rechnungsempfänger", "Rechnungsadresse", "Käufer", "Kunde", "Empfänger", "Client",
            "Facturé à", "Facturer à", "Adresse de facturation", "Destinataire", "Acheteur", "Klant",
            "Factuuradres", "Gefactureerd aan", "Afnemer", "Koper",
            "Vos identifiants", "Your identifiers", "Cliente", "Facturar a", "Comprador", "Cessionario",
            "Committente", "Intestatario",
            # a service's recipient (§14 UStG wording: "Leistungsempfänger")
            "Leistungsempfänger", "Auftraggeber",
            # a heading that says whose name follows
            "Invoice for", "Customer name", "Client name", "Rechnung an", "Kundenname", "Nom du client",
            "Facture à l'attention de", "Factuur aan", "Klantnaam", "Naam klant", "Factura para", "Nombre del cliente",
            "Fattura a", "Nome cliente", "Rechnungsanschrift", "Adresse facturation", "Factureren aan",
            "Dirección de facturación", "Facturado a", "Indirizzo di fatturazione", "Spett.le", "Spettabile",
        ),
    },
    DELIVERY_ROLE: {
        0.9: (
            "Delivery address", "Ship to", "Shipping address", "Deliver to", "Lieferadresse", "Lieferanschrift",
            "Warenempfänger", "Adresse de livraison", "Livré à", "Afleveradres", "Leveradres",
            "Dirección de entrega", "Enviar a", "Indirizzo di consegna", "Destinazione merce", "Luogo di consegna",
            "Delivery to", "Ship-to address", "Lieferung an", "Versandadresse", "Adresse d'expédition", "Livrer à",
            "Leveringsadres", "Bezorgadres", "Dirección de envío", "Indirizzo di spedizione",
        ),
    },
    CURRENCY: {
        0.9: (
            "Currency", "Beträge in", "Währung", "Devise", "Monnaie", "Valuta", "Amounts in", "Montants en",
            "Moneda", "Divisa",
            # the invoice's own currency, where another (the VAT accounting currency) is printed too
            "Rechnungswährung", "Invoice currency", "Devise de facturation", "Devise de la facture",
            "Factuurvaluta", "Moneda de la factura", "Valuta della fattura", "Valuta fattura",
        ),
    },
    PHONE: {
        0.9: ("Phone", "Tel", "Tel.", "Telephone", "Telefon", "fon", "Tél", "Téléphone", "Telefoon", "Mobile", "Mobil"),
    },
    EMAIL: {0.9: ("E-Mail", "Email", "Mail", "Courriel")},
    IBAN: {
        0.9: ("IBAN", "IBAN-Nr", "IBAN Nr", "IBAN No"),
        # the heading of a bank block: a label word, never the name of a party printed next to it
        0.5: (
            "Bank account", "Bankkonto", "Konto", "Compte", "Compte bancaire", "Rekening", "Bankrekening",
            "Cuenta", "Cuenta bancaria", "Conto", "Conto corrente",
        ),
    },
    TABLE_HEADER: {
        0.9: (
            "Quantity", "Qty", "Qty.", "Unit price", "Price", "Description", "Menge", "Einzelpreis", "Preis",
            "Artikelbeschreibung", "Artikelbezeichnung", "Bezeichnung", "Quantité", "Qté", "Prix unitaire", "Prix",
            "Désignation", "Aantal", "Prijs", "Omschrijving", "Stukprijs", "Eenheidsprijs", "Produkt", "Product",
            "Beschreibung", "Anzahl", "Cantidad", "Descripción", "Precio unitario", "Quantità", "Descrizione",
            "Prezzo unitario",
        ),
    },
    OTHER: {
        1.0: (
            # dates that are not the invoice date
            "Delivery date", "Date of delivery", "Order date", "Service date", "Shipping date", "Leistungsdatum",
            "Leistungs-Datum", "Lieferdatum", "Liefer-Datum", "Bestelldatum", "Bestell-Datum", "Auftragsdatum",
            "Auftrag-Datum", "Auftrag-Datum-Lief", "Lieferschein-Datum", "Vertrags-Datum", "Leistungszeitraum",
            "Date de livraison", "Date de commande", "Leverdatum", "Besteldatum", "Orderdatum", "Datum levering",
            "Date de prestation", "Period", "Zeitraum", "Abrechnungszeitraum", "Skonto bis",
            "Fecha de pedido", "Fecha de entrega", "Data ordine", "Data consegna", "Data DDT", "Lieferung",
            "Lieferschein", "Delivery", "Livraison", "Levering", "Entrega", "Consegna", "Auftrag", "Angebot",
            "Quotation", "Quote", "Devis", "Offerte", "Presupuesto", "Preventivo", "Vertrag", "Contract", "Contrat",
            "Date of supply", "Supply date", "Dispatch date", "Ship date", "Date shipped", "Delivery period",
            "Service period", "Billing period", "Invoice period", "Liefertermin", "Versanddatum", "Lieferzeitraum",
            "Leistungszeitpunkt", "Ausführungsdatum", "Tag der Lieferung", "Tag der Leistung", "Datum der Lieferung",
            "Datum der Leistung", "Abrechnungsperiode", "Druckdatum", "Date d'expédition", "Période de facturation",
            "Période", "Date de la prestation", "Date d'exécution", "Livré le", "Afleverdatum", "Leveringsdatum",
            "Verzenddatum", "Periode", "Factuurperiode", "Datum bestelling", "Fecha de envío", "Fecha del pedido",
            "Fecha de operación", "Fecha operación", "Periodo de facturación", "Periodo", "Data di consegna",
            "Data dell'ordine", "Data spedizione", "Data di spedizione", "Periodo di fatturazione", "Rechnungszeitraum",
            "Date ordered", "Ordered on", "Bestellt am", "Geliefert am", "Date de la commande", "Commandé le",
            "Geleverd op", "Besteld op", "Data d'ordine", "Skontodatum", "Skontofrist",
            # the seller's own numbers for the order ("Sales order reference", BT-14): not the buyer's order
            "Sales order", "Sales order number", "Sales order no", "Sales order reference", "Our order",
            "Our order no", "Our order number", "Our reference", "Our ref", "Unser Auftrag", "Unsere Auftragsnummer",
            "Unser Zeichen", "Notre commande", "Notre référence", "Notre réf", "Onze referentie", "Ons kenmerk",
            "Ons ordernummer", "Nuestra referencia", "Nuestro pedido", "Nostro riferimento", "Nostro ordine",
            # numbers that are not the invoice number nor the order
            "Customer number", "Customer No", "Customer ID", "Customer", "Account number", "Account no",
            "Kundennummer", "Kunden-Nr", "Kundennr", "Ihre Nummer", "Your number", "N° client", "Numéro client",
            "Code client", "Klantnummer", "Klantnr", "Debiteurnummer", "Lieferschein-Nr", "Lieferscheinnummer",
            "N° de client", "Numéro de client", "Número de cliente", "Nº de cliente", "Código de cliente",
            "Código cliente", "Codice cliente", "Cod. cliente", "Numero cliente", "Klantcode", "Relatienummer",
            "Albarán", "Documento di trasporto", "Client number", "Client no", "Client ID", "Kunden-Nummer",
            "Lieferschein-Nummer",
            "Nº cliente", "N° cliente", "N. cliente", "Cód. cliente", "Klant nr",
            "Delivery note", "Delivery note no", "Bon de livraison", "Pakbon", "Lief-Nr", "Lieferantennummer",
            "Supplier number", "Vendor number", "Vertrags-Nr", "Vertragsnummer", "Contract number", "Réf. marché",
            "Agreement Ref.", "Ursprungsbeleg-Nr", "Original invoice", "Facture liée", "Related invoice",
            "Facture associée", "N° de facture associée", "Date de facture associée", "Original invoice date",
            "Related invoice date", "Date de la facture d'origine", "Facture d'origine", "Ursprungsrechnung",
            "Datum der Ursprungsrechnung",
            "Gerelateerde factuur", "Reklamationsnummer", "Mandatsreferenz", "Mandate reference",
            "Gläubiger-Identifikationsnummer", "Creditor ID", "Auftrag-Nr-Lief", "Auftragsbestätigung",
            "GLN", "GTIN", "EAN", "Art.Nr", "Art.-Nr", "Art-Nr-Lieferant", "Art-Nr-Kunde", "Artikelnummer",
            "Kontonr", "Konto-Nr", "Kontonummer", "BLZ", "BIC", "Swift", "Kostenstelle", "Zählpunkt", "Zähler-Nr",
            "Payment reference", "Zahlungsreferenz", "Verwendungszweck", "bitte bei Zahlung angeben",
            "Betalingskenmerk", "Communication", "Page", "Seite", "Pagina", "WEE-Reg-Nr", "Öko-Kontr-Nr",
            "Sales contact", "Contact commercial", "Ansprechpartner", "Bearbeiter", "Contactpersoon",
            "Personalnr", "Abteilung", "Referenz", "Reference", "Référence", "Referentie", "Ref",
            "Customer service", "Customer care", "Service client", "Service clients", "Service clientèle",
            "Kundenservice", "Kundendienst", "Klantenservice", "Servicio al cliente", "Atención al cliente",
            "Servizio clienti", "Assistenza clienti",
            "Payment terms", "Terms", "Conditions de paiement", "Conditions de règlement", "Zahlungsbedingungen",
            "Betalingsvoorwaarden", "Betalingstermijn", "Incoterms",
            # amounts that are not the totals
            "Already paid", "Amount paid", "Paid", "Prepaid", "Bereits bezahlt", "Anzahlung", "Offener Betrag",
            "Restbetrag", "Noch zu zahlen", "Solde à payer", "Solde", "Acompte", "Déjà payé", "Déjà réglé",
            "Residual", "Balance", "Reeds betaald", "Openstaand bedrag", "Saldo", "Voorschot", "Rabatt",
            "Rechnungsrabatt", "Rabattbetrag", "Basisbetrag", "Steuerbasisbetrag", "Discount", "Remise", "Skonto",
            "Korting", "Tax base", "Taxable base", "Base HT", "Base", "Bemessungsgrundlage", "Grondslag",
            "Leergutwert", "Frachtbetrag", "Versandkosten", "Shipping", "Frais de port", "Verzendkosten",
            "Amount", "Betrag", "Montant", "Bedrag", "Nettopreis", "Preis/Einheit",
            # tax rates, not tax amounts
            "VAT %", "VAT rate", "Tax rate", "Tax %", "MwSt-%", "MwSt.-%", "MwSt %", "USt. %", "USt %", "USt. Satz",
            "Steuersatz", "Taux TVA", "Taux de TVA", "Taux", "TVA %", "BTW %", "BTW-tarief", "Btw tarief",
            "Rate", "Satz",
            # identifiers that are not VAT numbers
            "Steuer-Nr", "Tax number", "Gläubiger-ID", "Handelsreg.", "APE", "NAF",
        ),
    },
}
# fmt: on


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-as-space, one character per character.

    Keeping the length lets a label found in the folded line point back at
    the printed text, whose values we return verbatim.
    """
    return text.translate(_FOLDS)


class _FoldTable(dict):
    """``fold``'s table for ``str.translate``: a character's folding is worked out the first time it is met.

    Up to ``_FOLDS_KEPT`` characters are remembered (a hostile file may
    print thousands of distinct ones); the others are worked out each time.
    """

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _FOLDS_KEPT:
            self[code] = folded
        return folded


_FOLDS_KEPT = 4096
_FOLDS = _FoldTable()


def _fold_char(ch: str) -> str:
    if ch == "%":
        return "%"
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    if len(low) != 1:
        low = base
    return low if low.isalnum() else " "


def _phrase_key(folded: str) -> str:
    return " ".join(folded.split())


def _build_table() -> dict[str, list[tuple[str, float]]]:
    table: dict[str, list[tuple[str, float]]] = {}
    for field_name, by_strength in _VOCABULARY.items():
        for strength, phrases in by_strength.items():
            for phrase in phrases:
                for key in _spellings(_phrase_key(fold(phrase))):
                    entries = table.setdefault(key, [])
                    if all(existing[0] != field_name for existing in entries):
                        entries.append((field_name, strength))
    return table


NUMMER = "nummer"  # the German and Dutch word for "number", ending compound labels ("Bestellnummer")


# The last parts of German and Dutch compound labels, which a page may also print apart ("Kunden-Nummer").
_COMPOUND_TAILS = (NUMMER, "datum", "betrag", "bedrag")


def _spellings(key: str) -> tuple[str, ...]:
    """A folded label and its other spellings: a German or Dutch compound printed whole or in two parts.

    "Bestellnummer", "Bestell-Nummer", "Bestell-Nr.", "Bestellnr": one
    label.  The compound's spelling keeps a space before its last part
    ("nummer", "datum", "betrag", "bedrag"; "nr" for "nummer"), which the
    matcher lets the page leave out or print as a hyphen, so every spelling
    matches one key.

    >>> _spellings("ihre auftragsnummer"), _spellings("nummer")
    (('ihre auftragsnummer', 'ihre auftrags nummer', 'ihre auftrags nr'), ('nummer',))
    >>> _spellings("falligkeitsdatum")
    ('falligkeitsdatum', 'falligkeits datum')
    """
    head, _, last = key.rpartition(" ")
    for tail in _COMPOUND_TAILS:
        if last.endswith(tail) and len(last) > len(tail):
            apart = f"{head} {last[: -len(tail)]}".lstrip()
            return (key, f"{apart} {tail}") + ((f"{apart} nr",) if tail == NUMMER else ())
    return (key,)


_TABLE = _build_table()


def _phrase_pattern(key: str) -> str:
    """The phrase's words, a page may print them without a space; "no" may be printed "n.º" (folded "n o")."""
    return r"\s*".join(_NUMBER_ABBREVIATION if word == "no" else re.escape(word) for word in key.split(" "))


_NUMBER_ABBREVIATION = "n ?o"  # "nº", "n.º" (the Spanish and Portuguese abbreviation of "número")


def _alternation(keys: list[str]) -> str:
    """The phrases as one alternation tried in the order given, grouped under their first character.

    The regular expression engine tries the alternatives one after the
    other at each position; grouped by first character it tries only those
    that start with the character there, still in the order given: the same
    match for a tenth of the work (several hundred phrases).
    """
    groups: dict[str, list[str]] = {}
    for key in keys:
        first = key[:1]
        groups.setdefault(first, []).append(_phrase_pattern(key)[len(re.escape(first)) :])
    return "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


# Longest phrases first: at one position the most precise label wins.  A label ends where a word does, or
# where a long word runs straight into its value ("Fälligkeitsdatum16.09.2026": the generator dropped the
# space); a short one glued to digits is part of a code ("PO445", "Nr2").
LABEL_END = r"(?:(?![a-z0-9])|(?<=[a-z]{8})(?=\d))"
_MATCHER = re.compile(r"(?<![a-z0-9])(?:" + _alternation(sorted(_TABLE, key=len, reverse=True)) + ")" + LABEL_END)


@dataclass(frozen=True)
class LabelHit:
    """One label found in a line: its span in the line and what it may introduce."""

    start: int
    end: int
    phrase: str
    fields: tuple[tuple[str, float], ...]

    def strength(self, field_name: str) -> float:
        for name, strength in self.fields:
            if name == field_name:
                return strength
        return 0.0


def find_labels(folded_line: str, line: str | None = None) -> list[LabelHit]:
    """Labels of a folded line, left to right, the longest at each position.

    With the printed ``line``, a word hyphenated to a code is not a label:
    "PO" in "PO-88123" is part of the value, not the label of another one.
    The reader and ``provenance`` ask this of the same lines: the answer is
    remembered per line (``forget_lines``).
    """
    return list(_labels_of(folded_line, line))


def forget_lines() -> None:
    """Forget the labels remembered for the lines of the document read before (``extract_bytes`` starts with it)."""
    _labels_of.cache_clear()


@lru_cache(maxsize=4096)
def _labels_of(folded_line: str, line: str | None) -> tuple[LabelHit, ...]:
    hits = []
    for match in _label_matches(folded_line, line):
        if line is not None and _inside_code(line, match.start(), match.end()):
            continue
        key = _phrase_key(match.group(0))
        entries = _TABLE.get(key)
        if entries is None:
            # "\s*" joined words printed without a space ("rechnungnr"): find the phrase by its letters
            entries = _TABLE_BY_LETTERS.get(key.replace(" ", ""), [])
        hits.append(_with_split_head(folded_line, LabelHit(match.start(), match.end(), key, tuple(entries))))
    if line is not None:
        hits = _with_split_tails(folded_line, line, hits)
    fuzzy = _fuzzy_hits(folded_line, hits)
    return tuple(sorted(hits + fuzzy, key=lambda hit: hit.start) if fuzzy else hits)


def _label_matches(folded_line: str, line: str | None) -> list[re.Match]:
    """The longest label at each position, none running into a remark in parentheses nor over a colon.

    "Total (IVA incluido)" folds to "total iva incluido", where "Total IVA"
    is the tax total: the words inside the parentheses qualify "Total",
    they are not part of its label, so the label stops before the "(".
    A colon ends a label the same way: in "Order No. customer: PO-4711"
    the value's prefix is no part of a "Customer PO" label.
    """
    found, position = [], 0
    while True:
        match = _MATCHER.search(folded_line, position)
        if match is None:
            return found
        for stop in "(:":
            opening = line.find(stop, match.start(), match.end()) if line is not None else -1
            if opening > match.start():
                match = _MATCHER.match(folded_line[:opening].rstrip(), match.start()) or match
        found.append(match)
        position = max(match.end(), match.start() + 1)


_TABLE_BY_LETTERS = {key.replace(" ", ""): entries for key, entries in _TABLE.items()}
_KEY_BY_LETTERS = {key.replace(" ", ""): key for key in _TABLE}
# "ver kaufer": the first letters of a word, split from the rest by the text layer's spacing
_SPLIT_HEAD = re.compile(r"(?:^|(?<=\s))([a-z]{1,4}) $")


def _with_split_head(folded_line: str, hit: LabelHit) -> LabelHit:
    """The label ``hit`` with the first letters the text layer split off its word, when they make a longer label.

    Some generators space letters so that a text layer reads "Ver käufer"
    for "Verkäufer": "käufer" alone is the buyer's heading, the very
    opposite.  A fragment of up to four letters right before a label,
    which with it spells a longer label, is that label's head.
    """
    head = _SPLIT_HEAD.search(folded_line[: hit.start])
    if head is None:
        return hit
    letters = head.group(1) + hit.phrase.replace(" ", "")
    key = _KEY_BY_LETTERS.get(letters)
    if key is None:
        return hit
    return LabelHit(head.start(1), hit.end, key, tuple(_TABLE_BY_LETTERS[letters]))


# "Rechnungskor rektur", "Zahlbetr ag": a word and the lower-case rest of it the text layer split off
_SPLIT_TAIL = re.compile(r"(?<![a-z0-9])([a-z]{4,}) ([a-z]{1,6})(?![a-z0-9])")


def _with_split_tails(folded_line: str, line: str, hits: list[LabelHit]) -> list[LabelHit]:
    """``hits`` and the one-word labels whose last letters the text layer split off into a word of their own.

    The same generators that print "Ver käufer" print "Rechnungskor rektur
    Nr." and "Zahlbetr ag": a lower-case fragment of up to six letters that
    with the word before it spells a label is that label's tail.
    """
    found = []
    for match in _SPLIT_TAIL.finditer(folded_line):
        if not line[match.start(2)].islower():
            continue
        key = _KEY_BY_LETTERS.get(match.group(1) + match.group(2))
        if key is None or any(h.start < match.end() and match.start() < h.end for h in hits):
            continue
        found.append(LabelHit(match.start(), match.end(), key, tuple(_TABLE[key])))
    return sorted(hits + found, key=lambda hit: hit.start) if found else hits


# OCR misspells long labels ("Rechaunganummer"): one-word labels this long are also found with a
# letter or two wrong, at a lower strength.
_FUZZY_MIN_LENGTH = 7
_FUZZY_TWO_EDITS_LENGTH = 12
_FUZZY_FACTOR = 0.85
_WORD = re.compile(r"[a-z0-9]+")
_AFFIX = 3


def _fuzzy_index() -> dict[str, list[str]]:
    """One-word labels by their first and by their last three letters.

    With one or two letters wrong, a long word almost always keeps its start
    or its end: comparing only with labels that share one keeps the search
    fast on pages of text.
    """
    index: dict[str, list[str]] = {}
    for key in _TABLE:
        if " " not in key and len(key) >= _FUZZY_MIN_LENGTH:
            index.setdefault("^" + key[:_AFFIX], []).append(key)
            index.setdefault(key[-_AFFIX:] + "$", []).append(key)
    return index


_FUZZY_INDEX = _fuzzy_index()


@lru_cache(maxsize=8192)
def _fuzzy_entries(word: str) -> tuple[str, tuple[tuple[str, float], ...]] | None:
    if len(word) < _FUZZY_MIN_LENGTH or word.isdigit() or word in _TABLE:
        return None
    allowed = 2 if len(word) >= _FUZZY_TWO_EDITS_LENGTH else 1
    candidates = _FUZZY_INDEX.get("^" + word[:_AFFIX], []) + _FUZZY_INDEX.get(word[-_AFFIX:] + "$", [])
    for key in candidates:
        if abs(len(key) - len(word)) <= allowed and within_edits(word, key, allowed):
            return key, tuple((name, strength * _FUZZY_FACTOR) for name, strength in _TABLE[key])
    return None


def within_edits(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (banded, stops early)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        low, high = max(1, i - limit), min(len(b), i + limit)
        if low > 1:
            current[low - 1] = limit + 1
        for j in range(low, high + 1):
            cost = 0 if ca == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if high < len(b):
            current[high + 1 :] = [limit + 1] * (len(b) - high)
        if min(current[low - 1 : high + 1]) > limit:
            return False
        previous = current
    return previous[len(b)] <= limit


def _fuzzy_hits(folded_line: str, exact: list[LabelHit]) -> list[LabelHit]:
    hits = []
    for match in _WORD.finditer(folded_line):
        if any(hit.start < match.end() and match.start() < hit.end for hit in exact):
            continue
        found = _fuzzy_entries(match.group(0))
        if found:
            hits.append(LabelHit(match.start(), match.end(), found[0], found[1]))
    return hits


def _inside_code(line: str, start: int, end: int) -> bool:
    """Whether the label is glued by "-" or "/" to a code ("PO-88123"), not to another word of a heading.

    "Käufer/Leistungsempfänger" is two headings of one block: a slash between
    two words of letters, one of them in lower case, joins words, not a code.
    """
    glued_after = end + 1 < len(line) and line[end] in "-/" and line[end + 1].isalnum()
    glued_before = start >= 2 and line[start - 1] in "-/" and line[start - 2].isalnum()
    if glued_after and line[end] == "/" and _word_of_letters(re.match(r"\w*", line[end + 1 :]).group(0)):
        glued_after = False
    if glued_before and line[start - 1] == "/" and _word_of_letters(re.search(r"\w*$", line[: start - 1]).group(0)):
        glued_before = False
    return glued_after or glued_before


def _word_of_letters(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and not word.isupper()

/**
 * The words of the subscriber lifecycle (the subscribe form, the confirm and unsubscribe pages, their errors
 * and the confirmation mail), in the list's language. Every language a list may use (LANGUAGES) has every
 * phrase: the table's type makes a missing one a compile error, test/unit/render/lifecycle-phrases.test.ts
 * fails on an empty or untranslated one, and lifecyclePhrasesFor throws rather than borrow English.
 * A list may reword any phrase (`phrases` in its configuration); phraseOverrideProblems checks those words.
 *
 * Phrases are plain text with named values in braces: {list} (the list's display name), {address} (the
 * reader's masked address) and {example} (an example address). The values are inserted isolated from the
 * sentence's direction, so that "Future 50" inside an Arabic sentence, or an address, cannot reorder it.
 */
import { isRightToLeft, isSupportedLanguage, LANGUAGES, type Language, languageOf } from '../config/languages.js';
import {
  LIFECYCLE_PHRASE_KEYS,
  type LifecyclePhraseKey,
  LIFECYCLE_PHRASE_VALUES,
  MAX_PHRASE_LENGTH,
  PLACEHOLDER,
  type PhraseValueName,
  phraseOverrideProblems,
  valueNamesOf,
} from '../config/lifecycle-phrase-keys.js';

export { LIFECYCLE_PHRASE_KEYS, type LifecyclePhraseKey, MAX_PHRASE_LENGTH, type PhraseValueName, phraseOverrideProblems, valueNamesOf };

/** The values of one phrase. */
export type PhraseValues = Partial<Record<PhraseValueName, string>>;

const ENGLISH: LifecyclePhraseTable = {
  invalidLinkTitle: 'This link is not valid',
  invalidLinkMessage: 'It may have been copied incompletely or changed. Nothing was changed.',
  notAllowedTitle: 'Not allowed',
  openLinkFromEmail: 'Open the link from your email.',
  useFormOrLink: 'Use the form or the link from your email.',
  notFoundTitle: 'Not found',
  notFoundMessage: 'There is nothing at this address.',
  tryAgainTitle: 'Please try again',
  mailNotSentMessage: 'The confirmation mail could not be sent just now. Please try again in a minute.',
  unsubscribeAskTitle: 'Unsubscribe from {list}?',
  unsubscribeAskMessage: '{address} will receive no more issues of {list}.',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedMessage: '{address} will receive no more issues of {list}.',
  notSubscribedTitle: 'You are not subscribed',
  notSubscribedMessage: '{address} receives no issues of {list}.',
  subscribeTitle: 'Subscribe',
  checkFormTitle: 'Please check the form',
  subscribeIntro: 'We will send you a mail to confirm the address.',
  newsletterLabel: 'Newsletter',
  emailLabel: 'Email',
  firstNameLabel: 'First name (optional)',
  honeypotLabel: 'Leave this empty',
  subscribeButton: 'Subscribe',
  chooseList: 'Choose one of the newsletters.',
  enterEmail: 'Enter your email address.',
  emailLooksWrong: 'Enter an address such as {example}.',
  firstNameTooLong: 'Keep the first name to 100 characters or fewer.',
  firstNameCharacters: 'Use letters, spaces and punctuation only.',
  checkInboxTitle: 'Check your inbox',
  checkInboxMessage: 'If the address can join {list}, a confirmation mail is on its way. Follow its link to start receiving issues.',
  confirmAskTitle: 'Join {list}?',
  confirmAskMessage: 'Confirm that you want to receive {list}.',
  confirmButton: 'Confirm subscription',
  confirmedTitle: 'You are subscribed',
  confirmedMessage: 'Welcome to {list}. The next issue will reach you.',
  notPendingTitle: 'Nothing to confirm',
  notPendingMessage: 'This address is not waiting to join {list}. To join again, use the subscribe form.',
  confirmMailSubject: 'Confirm your subscription to {list}',
  confirmMailPreheader: 'One click and you are on the list.',
  confirmMailHeadline: 'Please confirm your subscription to {list}',
  confirmMailRequest:
    'Someone, hopefully you, asked to receive this newsletter at this address. Confirm with the button below; the link works for seven days.',
  confirmMailIgnore: 'If it was not you, ignore this mail: you will not be added and we will not write again.',
  confirmMailButton: 'Yes, subscribe me',
  confirmMailWhy:
    'You got this mail because someone entered this address in the subscribe form of {list}. If it was not you, ignore it and nothing happens.',
};

/** One language's lifecycle phrases. */
export type LifecyclePhraseTable = Readonly<Record<LifecyclePhraseKey, string>>;

/** The built-in phrases of every language a list may use. Native speakers, please review (see the report of issue 11). */
export const LIFECYCLE_PHRASES: Readonly<Record<Language, LifecyclePhraseTable>> = {
  en: ENGLISH,
  ar: {
    invalidLinkTitle: 'هذا الرابط غير صالح',
    invalidLinkMessage: 'ربما نُسخ ناقصًا أو عُدِّل. لم يتغيّر شيء.',
    notAllowedTitle: 'غير مسموح',
    openLinkFromEmail: 'افتح الرابط من رسالتك الإلكترونية.',
    useFormOrLink: 'استخدم النموذج أو الرابط الموجود في رسالتك الإلكترونية.',
    notFoundTitle: 'غير موجود',
    notFoundMessage: 'لا يوجد شيء على هذا العنوان.',
    tryAgainTitle: 'يُرجى المحاولة مرة أخرى',
    mailNotSentMessage: 'تعذّر إرسال رسالة التأكيد الآن. يُرجى المحاولة مرة أخرى بعد دقيقة.',
    unsubscribeAskTitle: 'إلغاء الاشتراك في {list}؟',
    unsubscribeAskMessage: 'لن يصل إلى {address} أي عدد آخر من {list}.',
    unsubscribeButton: 'إلغاء الاشتراك',
    unsubscribedTitle: 'تم إلغاء اشتراكك',
    unsubscribedMessage: 'لن يصل إلى {address} أي عدد آخر من {list}.',
    notSubscribedTitle: 'أنت غير مشترك',
    notSubscribedMessage: 'لا يتلقى {address} أي أعداد من {list}.',
    subscribeTitle: 'اشترك',
    checkFormTitle: 'يُرجى مراجعة النموذج',
    subscribeIntro: 'سنرسل إليك رسالة لتأكيد العنوان.',
    newsletterLabel: 'النشرة',
    emailLabel: 'البريد الإلكتروني',
    firstNameLabel: 'الاسم الأول (اختياري)',
    honeypotLabel: 'اترك هذا الحقل فارغًا',
    subscribeButton: 'اشترك',
    chooseList: 'اختر إحدى النشرات.',
    enterEmail: 'أدخل عنوان بريدك الإلكتروني.',
    emailLooksWrong: 'أدخل عنوانًا مثل {example}.',
    firstNameTooLong: 'يجب ألا يزيد الاسم الأول على 100 حرف.',
    firstNameCharacters: 'استخدم الحروف والمسافات وعلامات الترقيم فقط.',
    checkInboxTitle: 'تحقّق من بريدك الوارد',
    checkInboxMessage:
      'إذا كان بإمكان هذا العنوان الانضمام إلى {list}، فرسالة التأكيد في طريقها إليك. اتبع الرابط الذي فيها لتبدأ في تلقي الأعداد.',
    confirmAskTitle: 'الانضمام إلى {list}؟',
    confirmAskMessage: 'أكّد أنك تريد تلقي {list}.',
    confirmButton: 'تأكيد الاشتراك',
    confirmedTitle: 'أنت مشترك الآن',
    confirmedMessage: 'مرحبًا بك في {list}. سيصلك العدد القادم.',
    notPendingTitle: 'لا يوجد ما يحتاج إلى تأكيد',
    notPendingMessage: 'هذا العنوان ليس بانتظار الانضمام إلى {list}. للانضمام من جديد، استخدم نموذج الاشتراك.',
    confirmMailSubject: 'أكّد اشتراكك في {list}',
    confirmMailPreheader: 'نقرة واحدة وتنضم إلى القائمة.',
    confirmMailHeadline: 'يُرجى تأكيد اشتراكك في {list}',
    confirmMailRequest: 'طلب شخصٌ ما، نأمل أن يكون أنت، تلقي هذه النشرة على هذا العنوان. أكّد بالزر أدناه؛ يبقى الرابط صالحًا سبعة أيام.',
    confirmMailIgnore: 'إن لم تكن أنت، فتجاهل هذه الرسالة: لن تُضاف ولن نراسلك مرة أخرى.',
    confirmMailButton: 'نعم، أريد الاشتراك',
    confirmMailWhy: 'وصلتك هذه الرسالة لأن شخصًا ما أدخل هذا العنوان في نموذج الاشتراك في {list}. إن لم تكن أنت، فتجاهلها ولن يحدث شيء.',
  },
  de: {
    invalidLinkTitle: 'Dieser Link ist ungültig',
    invalidLinkMessage: 'Vielleicht wurde er unvollständig kopiert oder verändert. Es wurde nichts geändert.',
    notAllowedTitle: 'Nicht erlaubt',
    openLinkFromEmail: 'Öffnen Sie den Link aus Ihrer E-Mail.',
    useFormOrLink: 'Verwenden Sie das Formular oder den Link aus Ihrer E-Mail.',
    notFoundTitle: 'Nicht gefunden',
    notFoundMessage: 'Unter dieser Adresse gibt es nichts.',
    tryAgainTitle: 'Bitte versuchen Sie es erneut',
    mailNotSentMessage: 'Die Bestätigungs-E-Mail konnte gerade nicht gesendet werden. Bitte versuchen Sie es in einer Minute erneut.',
    unsubscribeAskTitle: 'Von {list} abmelden?',
    unsubscribeAskMessage: '{address} erhält dann keine Ausgaben von {list} mehr.',
    unsubscribeButton: 'Abmelden',
    unsubscribedTitle: 'Sie sind abgemeldet',
    unsubscribedMessage: '{address} erhält keine Ausgaben von {list} mehr.',
    notSubscribedTitle: 'Sie sind nicht angemeldet',
    notSubscribedMessage: '{address} erhält keine Ausgaben von {list}.',
    subscribeTitle: 'Abonnieren',
    checkFormTitle: 'Bitte prüfen Sie das Formular',
    subscribeIntro: 'Wir senden Ihnen eine E-Mail, um die Adresse zu bestätigen.',
    newsletterLabel: 'Newsletter',
    emailLabel: 'E-Mail',
    firstNameLabel: 'Vorname (optional)',
    honeypotLabel: 'Dieses Feld leer lassen',
    subscribeButton: 'Abonnieren',
    chooseList: 'Wählen Sie einen der Newsletter.',
    enterEmail: 'Geben Sie Ihre E-Mail-Adresse ein.',
    emailLooksWrong: 'Geben Sie eine Adresse wie {example} ein.',
    firstNameTooLong: 'Der Vorname darf höchstens 100 Zeichen lang sein.',
    firstNameCharacters: 'Verwenden Sie nur Buchstaben, Leerzeichen und Satzzeichen.',
    checkInboxTitle: 'Sehen Sie in Ihren Posteingang',
    checkInboxMessage:
      'Wenn sich die Adresse bei {list} anmelden kann, ist eine Bestätigungs-E-Mail unterwegs. Folgen Sie dem Link darin, um die Ausgaben zu erhalten.',
    confirmAskTitle: '{list} abonnieren?',
    confirmAskMessage: 'Bestätigen Sie, dass Sie {list} erhalten möchten.',
    confirmButton: 'Anmeldung bestätigen',
    confirmedTitle: 'Sie sind angemeldet',
    confirmedMessage: 'Willkommen bei {list}. Die nächste Ausgabe erreicht Sie.',
    notPendingTitle: 'Nichts zu bestätigen',
    notPendingMessage:
      'Diese Adresse wartet nicht auf die Anmeldung bei {list}. Um sich erneut anzumelden, verwenden Sie das Anmeldeformular.',
    confirmMailSubject: 'Bestätigen Sie Ihre Anmeldung bei {list}',
    confirmMailPreheader: 'Ein Klick, und Sie sind dabei.',
    confirmMailHeadline: 'Bitte bestätigen Sie Ihre Anmeldung bei {list}',
    confirmMailRequest:
      'Jemand, hoffentlich Sie, möchte diesen Newsletter an diese Adresse erhalten. Bestätigen Sie mit der Schaltfläche unten; der Link gilt sieben Tage.',
    confirmMailIgnore:
      'Wenn Sie es nicht waren, ignorieren Sie diese E-Mail: Sie werden nicht eingetragen, und wir schreiben Ihnen nicht wieder.',
    confirmMailButton: 'Ja, anmelden',
    confirmMailWhy:
      'Sie erhalten diese E-Mail, weil jemand diese Adresse im Anmeldeformular von {list} eingegeben hat. Wenn Sie es nicht waren, ignorieren Sie sie; dann passiert nichts.',
  },
  es: {
    invalidLinkTitle: 'Este enlace no es válido',
    invalidLinkMessage: 'Puede que se copiara incompleto o que se haya modificado. No se ha cambiado nada.',
    notAllowedTitle: 'No permitido',
    openLinkFromEmail: 'Abre el enlace desde tu correo.',
    useFormOrLink: 'Usa el formulario o el enlace de tu correo.',
    notFoundTitle: 'No encontrado',
    notFoundMessage: 'No hay nada en esta dirección.',
    tryAgainTitle: 'Inténtalo de nuevo',
    mailNotSentMessage: 'No se ha podido enviar el correo de confirmación en este momento. Inténtalo de nuevo en un minuto.',
    unsubscribeAskTitle: '¿Darte de baja de {list}?',
    unsubscribeAskMessage: '{address} no recibirá más números de {list}.',
    unsubscribeButton: 'Darse de baja',
    unsubscribedTitle: 'Te has dado de baja',
    unsubscribedMessage: '{address} no recibirá más números de {list}.',
    notSubscribedTitle: 'No estás en la lista',
    notSubscribedMessage: '{address} no recibe números de {list}.',
    subscribeTitle: 'Suscribirse',
    checkFormTitle: 'Revisa el formulario',
    subscribeIntro: 'Te enviaremos un correo para confirmar la dirección.',
    newsletterLabel: 'Boletín',
    emailLabel: 'Correo electrónico',
    firstNameLabel: 'Nombre (opcional)',
    honeypotLabel: 'Deja esto vacío',
    subscribeButton: 'Suscribirme',
    chooseList: 'Elige uno de los boletines.',
    enterEmail: 'Escribe tu dirección de correo.',
    emailLooksWrong: 'Escribe una dirección como {example}.',
    firstNameTooLong: 'El nombre no puede superar los 100 caracteres.',
    firstNameCharacters: 'Usa solo letras, espacios y signos de puntuación.',
    checkInboxTitle: 'Revisa tu bandeja de entrada',
    checkInboxMessage:
      'Si la dirección puede unirse a {list}, un correo de confirmación va de camino. Sigue su enlace para empezar a recibir los números.',
    confirmAskTitle: '¿Unirte a {list}?',
    confirmAskMessage: 'Confirma que quieres recibir {list}.',
    confirmButton: 'Confirmar la suscripción',
    confirmedTitle: 'Suscripción confirmada',
    confirmedMessage: 'Te damos la bienvenida a {list}. El próximo número te llegará.',
    notPendingTitle: 'Nada que confirmar',
    notPendingMessage: 'Esta dirección no está pendiente de unirse a {list}. Para volver a unirte, usa el formulario de suscripción.',
    confirmMailSubject: 'Confirma tu suscripción a {list}',
    confirmMailPreheader: 'Un clic y estarás en la lista.',
    confirmMailHeadline: 'Confirma tu suscripción a {list}, por favor',
    confirmMailRequest:
      'Alguien, esperamos que tú, pidió recibir este boletín en esta dirección. Confírmalo con el botón de abajo; el enlace es válido durante siete días.',
    confirmMailIgnore: 'Si no fuiste tú, ignora este correo: no se te añadirá y no volveremos a escribirte.',
    confirmMailButton: 'Sí, suscribirme',
    confirmMailWhy:
      'Recibes este correo porque alguien escribió esta dirección en el formulario de suscripción de {list}. Si no fuiste tú, ignóralo y no pasará nada.',
  },
  fa: {
    invalidLinkTitle: 'این پیوند معتبر نیست',
    invalidLinkMessage: 'شاید ناقص کپی شده یا تغییر کرده باشد. چیزی تغییر نکرد.',
    notAllowedTitle: 'مجاز نیست',
    openLinkFromEmail: 'پیوند را از ایمیل خود باز کنید.',
    useFormOrLink: 'از فرم یا پیوند ایمیل خود استفاده کنید.',
    notFoundTitle: 'پیدا نشد',
    notFoundMessage: 'در این نشانی چیزی نیست.',
    tryAgainTitle: 'لطفاً دوباره تلاش کنید',
    mailNotSentMessage: 'ایمیل تأیید همین حالا فرستاده نشد. لطفاً یک دقیقهٔ دیگر دوباره تلاش کنید.',
    unsubscribeAskTitle: 'اشتراک {list} لغو شود؟',
    unsubscribeAskMessage: 'از این پس هیچ شماره‌ای از {list} به {address} فرستاده نمی‌شود.',
    unsubscribeButton: 'لغو اشتراک',
    unsubscribedTitle: 'اشتراک شما لغو شد',
    unsubscribedMessage: 'از این پس هیچ شماره‌ای از {list} به {address} فرستاده نمی‌شود.',
    notSubscribedTitle: 'شما مشترک نیستید',
    notSubscribedMessage: 'هیچ شماره‌ای از {list} به {address} فرستاده نمی‌شود.',
    subscribeTitle: 'اشتراک',
    checkFormTitle: 'لطفاً فرم را بررسی کنید',
    subscribeIntro: 'برای تأیید نشانی، ایمیلی برایتان می‌فرستیم.',
    newsletterLabel: 'خبرنامه',
    emailLabel: 'ایمیل',
    firstNameLabel: 'نام کوچک (اختیاری)',
    honeypotLabel: 'این را خالی بگذارید',
    subscribeButton: 'مشترک شوید',
    chooseList: 'یکی از خبرنامه‌ها را انتخاب کنید.',
    enterEmail: 'نشانی ایمیل خود را وارد کنید.',
    emailLooksWrong: 'نشانی‌ای مانند {example} وارد کنید.',
    firstNameTooLong: 'نام کوچک باید حداکثر ۱۰۰ نویسه باشد.',
    firstNameCharacters: 'فقط از حروف، فاصله و نشانه‌های نگارشی استفاده کنید.',
    checkInboxTitle: 'صندوق ایمیل خود را ببینید',
    checkInboxMessage: 'اگر این نشانی بتواند به {list} بپیوندد، ایمیل تأیید در راه است. برای دریافت شماره‌ها، پیوند آن را باز کنید.',
    confirmAskTitle: 'به {list} می‌پیوندید؟',
    confirmAskMessage: 'تأیید کنید که می‌خواهید {list} را دریافت کنید.',
    confirmButton: 'تأیید اشتراک',
    confirmedTitle: 'مشترک شدید',
    confirmedMessage: 'به {list} خوش آمدید. شمارهٔ بعدی به دستتان می‌رسد.',
    notPendingTitle: 'چیزی برای تأیید نیست',
    notPendingMessage: 'این نشانی در انتظار پیوستن به {list} نیست. برای پیوستن دوباره، از فرم اشتراک استفاده کنید.',
    confirmMailSubject: 'اشتراک خود در {list} را تأیید کنید',
    confirmMailPreheader: 'با یک کلیک به فهرست می‌پیوندید.',
    confirmMailHeadline: 'لطفاً اشتراک خود در {list} را تأیید کنید',
    confirmMailRequest:
      'کسی، امیدواریم خود شما، خواسته است این خبرنامه به این نشانی فرستاده شود. با دکمهٔ زیر تأیید کنید؛ این پیوند هفت روز معتبر است.',
    confirmMailIgnore: 'اگر شما نبودید، این ایمیل را نادیده بگیرید: به فهرست افزوده نمی‌شوید و دیگر برایتان نمی‌نویسیم.',
    confirmMailButton: 'بله، مشترکم کنید',
    confirmMailWhy:
      'این ایمیل را دریافت کرده‌اید چون کسی این نشانی را در فرم اشتراک {list} وارد کرده است. اگر شما نبودید، آن را نادیده بگیرید؛ هیچ اتفاقی نمی‌افتد.',
  },
  fr: {
    invalidLinkTitle: 'Ce lien n’est pas valide',
    invalidLinkMessage: 'Il a peut-être été copié en partie ou modifié. Rien n’a été changé.',
    notAllowedTitle: 'Non autorisé',
    openLinkFromEmail: 'Ouvrez le lien depuis votre e-mail.',
    useFormOrLink: 'Utilisez le formulaire ou le lien de votre e-mail.',
    notFoundTitle: 'Introuvable',
    notFoundMessage: 'Il n’y a rien à cette adresse.',
    tryAgainTitle: 'Veuillez réessayer',
    mailNotSentMessage: 'L’e-mail de confirmation n’a pas pu être envoyé pour le moment. Réessayez dans une minute.',
    unsubscribeAskTitle: 'Se désabonner de {list}\u202f?',
    unsubscribeAskMessage: '{address} ne recevra plus aucun numéro de {list}.',
    unsubscribeButton: 'Se désabonner',
    unsubscribedTitle: 'Désabonnement effectué',
    unsubscribedMessage: '{address} ne recevra plus aucun numéro de {list}.',
    notSubscribedTitle: 'Aucun abonnement en cours',
    notSubscribedMessage: '{address} ne reçoit aucun numéro de {list}.',
    subscribeTitle: 'S’abonner',
    checkFormTitle: 'Veuillez vérifier le formulaire',
    subscribeIntro: 'Nous vous enverrons un e-mail pour confirmer l’adresse.',
    newsletterLabel: 'Lettre d’information',
    emailLabel: 'E-mail',
    firstNameLabel: 'Prénom (facultatif)',
    honeypotLabel: 'Laissez ce champ vide',
    subscribeButton: 'Je m’abonne',
    chooseList: 'Choisissez l’une des lettres d’information.',
    enterEmail: 'Saisissez votre adresse e-mail.',
    emailLooksWrong: 'Saisissez une adresse comme {example}.',
    firstNameTooLong: 'Le prénom doit faire au plus 100 caractères.',
    firstNameCharacters: 'Utilisez uniquement des lettres, des espaces et de la ponctuation.',
    checkInboxTitle: 'Consultez votre boîte de réception',
    checkInboxMessage:
      'Si l’adresse peut rejoindre {list}, un e-mail de confirmation est en route. Suivez son lien pour commencer à recevoir les numéros.',
    confirmAskTitle: 'Rejoindre {list}\u202f?',
    confirmAskMessage: 'Confirmez que vous souhaitez recevoir {list}.',
    confirmButton: 'Confirmer l’abonnement',
    confirmedTitle: 'Abonnement confirmé',
    confirmedMessage: 'Bienvenue dans {list}. Le prochain numéro vous parviendra.',
    notPendingTitle: 'Rien à confirmer',
    notPendingMessage: 'Cette adresse n’attend pas de rejoindre {list}. Pour vous réabonner, utilisez le formulaire d’abonnement.',
    confirmMailSubject: 'Confirmez votre abonnement à {list}',
    confirmMailPreheader: 'Un clic et vous êtes sur la liste.',
    confirmMailHeadline: 'Veuillez confirmer votre abonnement à {list}',
    confirmMailRequest:
      'Quelqu’un, vous sans doute, a demandé à recevoir cette lettre à cette adresse. Confirmez avec le bouton ci-dessous\u202f; le lien est valable sept jours.',
    confirmMailIgnore: 'Si ce n’était pas vous, ignorez cet e-mail\u00a0: vous ne serez pas inscrit et nous ne vous écrirons plus.',
    confirmMailButton: 'Oui, je m’abonne',
    confirmMailWhy:
      'Vous recevez cet e-mail parce que quelqu’un a saisi cette adresse dans le formulaire d’abonnement de {list}. Si ce n’était pas vous, ignorez-le\u00a0: il ne se passera rien.',
  },
  he: {
    invalidLinkTitle: 'הקישור הזה אינו תקף',
    invalidLinkMessage: 'ייתכן שהועתק באופן חלקי או ששונה. לא שונה דבר.',
    notAllowedTitle: 'לא מותר',
    openLinkFromEmail: 'יש לפתוח את הקישור מתוך הדוא״ל.',
    useFormOrLink: 'יש להשתמש בטופס או בקישור שבדוא״ל.',
    notFoundTitle: 'לא נמצא',
    notFoundMessage: 'אין כלום בכתובת הזו.',
    tryAgainTitle: 'נא לנסות שוב',
    mailNotSentMessage: 'לא ניתן היה לשלוח את הודעת האישור כרגע. נא לנסות שוב בעוד דקה.',
    unsubscribeAskTitle: 'להסיר את הכתובת מהרשימה {list}?',
    unsubscribeAskMessage: 'לכתובת {address} לא יישלחו עוד גיליונות של {list}.',
    unsubscribeButton: 'הסרה מהרשימה',
    unsubscribedTitle: 'הכתובת הוסרה מהרשימה',
    unsubscribedMessage: 'לכתובת {address} לא יישלחו עוד גיליונות של {list}.',
    notSubscribedTitle: 'הכתובת אינה רשומה',
    notSubscribedMessage: 'לכתובת {address} לא נשלחים גיליונות של {list}.',
    subscribeTitle: 'הרשמה',
    checkFormTitle: 'נא לבדוק את הטופס',
    subscribeIntro: 'נשלח הודעה לאישור הכתובת.',
    newsletterLabel: 'ניוזלטר',
    emailLabel: 'דוא״ל',
    firstNameLabel: 'שם פרטי (רשות)',
    honeypotLabel: 'יש להשאיר ריק',
    subscribeButton: 'הרשמה',
    chooseList: 'יש לבחור אחד מהניוזלטרים.',
    enterEmail: 'יש להזין כתובת דוא״ל.',
    emailLooksWrong: 'יש להזין כתובת כמו {example}.',
    firstNameTooLong: 'השם הפרטי יכול להכיל עד 100 תווים.',
    firstNameCharacters: 'אפשר להשתמש רק באותיות, ברווחים ובסימני פיסוק.',
    checkInboxTitle: 'נא לבדוק את תיבת הדואר',
    checkInboxMessage: 'אם הכתובת יכולה להצטרף אל {list}, הודעת אישור בדרך. יש ללחוץ על הקישור שבה כדי להתחיל לקבל גיליונות.',
    confirmAskTitle: 'להצטרף אל {list}?',
    confirmAskMessage: 'נא לאשר שברצונך לקבל את {list}.',
    confirmButton: 'אישור ההרשמה',
    confirmedTitle: 'ההרשמה הושלמה',
    confirmedMessage: 'ברוכים הבאים אל {list}. הגיליון הבא יגיע אליך.',
    notPendingTitle: 'אין מה לאשר',
    notPendingMessage: 'הכתובת הזו אינה ממתינה להצטרפות אל {list}. כדי להצטרף שוב, יש להשתמש בטופס ההרשמה.',
    confirmMailSubject: 'אישור ההרשמה אל {list}',
    confirmMailPreheader: 'לחיצה אחת ואתם ברשימה.',
    confirmMailHeadline: 'נא לאשר את ההרשמה אל {list}',
    confirmMailRequest: 'מישהו, אולי אתם, ביקש לקבל את הניוזלטר הזה בכתובת הזו. אפשר לאשר בכפתור שלמטה; הקישור תקף שבעה ימים.',
    confirmMailIgnore: 'אם זה לא הייתם אתם, אפשר להתעלם מההודעה: הכתובת לא תצורף ולא נכתוב שוב.',
    confirmMailButton: 'כן, לרשום אותי',
    confirmMailWhy:
      'ההודעה הזו נשלחה כי מישהו הזין את הכתובת הזו בטופס ההרשמה של {list}. אם זה לא הייתם אתם, אפשר להתעלם ממנה ושום דבר לא יקרה.',
  },
  it: {
    invalidLinkTitle: 'Questo link non è valido',
    invalidLinkMessage: 'Potrebbe essere stato copiato in modo incompleto o modificato. Non è stato cambiato nulla.',
    notAllowedTitle: 'Non consentito',
    openLinkFromEmail: 'Apri il link dalla tua email.',
    useFormOrLink: 'Usa il modulo o il link nella tua email.',
    notFoundTitle: 'Pagina non trovata',
    notFoundMessage: 'Non c’è niente a questo indirizzo.',
    tryAgainTitle: 'Riprova',
    mailNotSentMessage: 'Non è stato possibile inviare l’email di conferma in questo momento. Riprova tra un minuto.',
    unsubscribeAskTitle: 'Annullare l’iscrizione a {list}?',
    unsubscribeAskMessage: '{address} non riceverà più numeri di {list}.',
    unsubscribeButton: 'Annulla l’iscrizione',
    unsubscribedTitle: 'Iscrizione annullata',
    unsubscribedMessage: '{address} non riceverà più numeri di {list}.',
    notSubscribedTitle: 'Nessuna iscrizione attiva',
    notSubscribedMessage: '{address} non riceve numeri di {list}.',
    subscribeTitle: 'Iscriviti',
    checkFormTitle: 'Controlla il modulo',
    subscribeIntro: 'Ti invieremo un’email per confermare l’indirizzo.',
    newsletterLabel: 'Newsletter',
    emailLabel: 'Email',
    firstNameLabel: 'Nome (facoltativo)',
    honeypotLabel: 'Lascia vuoto questo campo',
    subscribeButton: 'Iscrivimi',
    chooseList: 'Scegli una delle newsletter.',
    enterEmail: 'Inserisci il tuo indirizzo email.',
    emailLooksWrong: 'Inserisci un indirizzo come {example}.',
    firstNameTooLong: 'Il nome può avere al massimo 100 caratteri.',
    firstNameCharacters: 'Usa solo lettere, spazi e punteggiatura.',
    checkInboxTitle: 'Controlla la tua casella di posta',
    checkInboxMessage:
      'Se l’indirizzo può iscriversi a {list}, è in arrivo un’email di conferma. Segui il suo link per iniziare a ricevere i numeri.',
    confirmAskTitle: 'Iscriverti a {list}?',
    confirmAskMessage: 'Conferma che vuoi ricevere {list}.',
    confirmButton: 'Conferma l’iscrizione',
    confirmedTitle: 'Iscrizione confermata',
    confirmedMessage: 'Ti diamo il benvenuto in {list}. Riceverai il prossimo numero.',
    notPendingTitle: 'Niente da confermare',
    notPendingMessage: 'Questo indirizzo non è in attesa di iscriversi a {list}. Per iscriverti di nuovo, usa il modulo di iscrizione.',
    confirmMailSubject: 'Conferma la tua iscrizione a {list}',
    confirmMailPreheader: 'Un clic e sei nella lista.',
    confirmMailHeadline: 'Per favore, conferma la tua iscrizione a {list}',
    confirmMailRequest:
      'Qualcuno, speriamo tu, ha chiesto di ricevere questa newsletter a questo indirizzo. Conferma con il pulsante qui sotto; il link vale sette giorni.',
    confirmMailIgnore: 'Se non sei stato tu, ignora questa email: non verrai aggiunto e non ti scriveremo più.',
    confirmMailButton: 'Sì, iscrivimi',
    confirmMailWhy:
      'Ricevi questa email perché qualcuno ha inserito questo indirizzo nel modulo di iscrizione di {list}. Se non sei stato tu, ignorala e non succederà nulla.',
  },
  nl: {
    invalidLinkTitle: 'Deze link is niet geldig',
    invalidLinkMessage: 'Misschien is hij onvolledig gekopieerd of gewijzigd. Er is niets veranderd.',
    notAllowedTitle: 'Niet toegestaan',
    openLinkFromEmail: 'Open de link vanuit je e-mail.',
    useFormOrLink: 'Gebruik het formulier of de link in je e-mail.',
    notFoundTitle: 'Niet gevonden',
    notFoundMessage: 'Op dit adres staat niets.',
    tryAgainTitle: 'Probeer het opnieuw',
    mailNotSentMessage: 'De bevestigingsmail kon nu niet worden verstuurd. Probeer het over een minuut opnieuw.',
    unsubscribeAskTitle: 'Afmelden voor {list}?',
    unsubscribeAskMessage: '{address} ontvangt dan geen edities van {list} meer.',
    unsubscribeButton: 'Afmelden',
    unsubscribedTitle: 'Je bent afgemeld',
    unsubscribedMessage: '{address} ontvangt geen edities van {list} meer.',
    notSubscribedTitle: 'Je bent niet aangemeld',
    notSubscribedMessage: '{address} ontvangt geen edities van {list}.',
    subscribeTitle: 'Aanmelden',
    checkFormTitle: 'Controleer het formulier',
    subscribeIntro: 'We sturen je een e-mail om het adres te bevestigen.',
    newsletterLabel: 'Nieuwsbrief',
    emailLabel: 'E-mail',
    firstNameLabel: 'Voornaam (optioneel)',
    honeypotLabel: 'Laat dit leeg',
    subscribeButton: 'Meld me aan',
    chooseList: 'Kies een van de nieuwsbrieven.',
    enterEmail: 'Vul je e-mailadres in.',
    emailLooksWrong: 'Vul een adres in zoals {example}.',
    firstNameTooLong: 'De voornaam mag hoogstens 100 tekens lang zijn.',
    firstNameCharacters: 'Gebruik alleen letters, spaties en leestekens.',
    checkInboxTitle: 'Kijk in je inbox',
    checkInboxMessage:
      'Als het adres zich kan aanmelden voor {list}, is er een bevestigingsmail onderweg. Volg de link daarin om edities te ontvangen.',
    confirmAskTitle: 'Aanmelden voor {list}?',
    confirmAskMessage: 'Bevestig dat je {list} wilt ontvangen.',
    confirmButton: 'Aanmelding bevestigen',
    confirmedTitle: 'Je bent aangemeld',
    confirmedMessage: 'Welkom bij {list}. De volgende editie komt naar je toe.',
    notPendingTitle: 'Niets te bevestigen',
    notPendingMessage: 'Dit adres wacht niet op aanmelding voor {list}. Gebruik het aanmeldformulier om je opnieuw aan te melden.',
    confirmMailSubject: 'Bevestig je aanmelding voor {list}',
    confirmMailPreheader: 'Eén klik en je staat op de lijst.',
    confirmMailHeadline: 'Bevestig alsjeblieft je aanmelding voor {list}',
    confirmMailRequest:
      'Iemand, hopelijk jij, wil deze nieuwsbrief op dit adres ontvangen. Bevestig met de knop hieronder; de link is zeven dagen geldig.',
    confirmMailIgnore: 'Was jij het niet? Negeer dan deze e-mail: je wordt niet toegevoegd en we schrijven je niet meer.',
    confirmMailButton: 'Ja, meld me aan',
    confirmMailWhy:
      'Je krijgt deze e-mail omdat iemand dit adres heeft ingevuld in het aanmeldformulier van {list}. Was jij het niet, negeer hem dan; er gebeurt niets.',
  },
  pt: {
    invalidLinkTitle: 'Este link não é válido',
    invalidLinkMessage: 'Pode ter sido copiado de forma incompleta ou alterado. Nada foi alterado.',
    notAllowedTitle: 'Não permitido',
    openLinkFromEmail: 'Abra o link a partir do seu email.',
    useFormOrLink: 'Use o formulário ou o link do seu email.',
    notFoundTitle: 'Página não encontrada',
    notFoundMessage: 'Não existe nada neste endereço.',
    tryAgainTitle: 'Tente novamente',
    mailNotSentMessage: 'Não foi possível enviar o email de confirmação agora. Tente novamente dentro de um minuto.',
    unsubscribeAskTitle: 'Cancelar a inscrição em {list}?',
    unsubscribeAskMessage: '{address} deixará de receber edições de {list}.',
    unsubscribeButton: 'Cancelar a inscrição',
    unsubscribedTitle: 'Inscrição cancelada',
    unsubscribedMessage: '{address} deixará de receber edições de {list}.',
    notSubscribedTitle: 'Sem inscrição ativa',
    notSubscribedMessage: '{address} não recebe edições de {list}.',
    subscribeTitle: 'Inscrever-se',
    checkFormTitle: 'Verifique o formulário',
    subscribeIntro: 'Vamos enviar um email para confirmar o endereço.',
    newsletterLabel: 'Newsletter',
    emailLabel: 'Email',
    firstNameLabel: 'Nome próprio (opcional)',
    honeypotLabel: 'Deixe este campo vazio',
    subscribeButton: 'Inscrever-me',
    chooseList: 'Escolha uma das newsletters.',
    enterEmail: 'Introduza o seu endereço de email.',
    emailLooksWrong: 'Introduza um endereço como {example}.',
    firstNameTooLong: 'O nome pode ter no máximo 100 caracteres.',
    firstNameCharacters: 'Use apenas letras, espaços e pontuação.',
    checkInboxTitle: 'Verifique a sua caixa de entrada',
    checkInboxMessage:
      'Se o endereço puder juntar-se a {list}, um email de confirmação está a caminho. Siga o link que ele contém para começar a receber as edições.',
    confirmAskTitle: 'Juntar-se a {list}?',
    confirmAskMessage: 'Confirme que quer receber {list}.',
    confirmButton: 'Confirmar a inscrição',
    confirmedTitle: 'Inscrição confirmada',
    confirmedMessage: 'Boas-vindas a {list}. A próxima edição vai chegar até si.',
    notPendingTitle: 'Nada a confirmar',
    notPendingMessage: 'Este endereço não está à espera de se juntar a {list}. Para voltar a inscrever-se, use o formulário de inscrição.',
    confirmMailSubject: 'Confirme a sua inscrição em {list}',
    confirmMailPreheader: 'Um clique e fica na lista.',
    confirmMailHeadline: 'Por favor, confirme a sua inscrição em {list}',
    confirmMailRequest:
      'Alguém, esperamos que tenha sido você, pediu para receber esta newsletter neste endereço. Confirme com o botão abaixo; o link é válido durante sete dias.',
    confirmMailIgnore: 'Se não foi você, ignore este email: não será adicionado e não voltaremos a escrever.',
    confirmMailButton: 'Sim, quero inscrever-me',
    confirmMailWhy:
      'Recebe este email porque alguém introduziu este endereço no formulário de inscrição de {list}. Se não foi você, ignore-o e nada acontecerá.',
  },
  ur: {
    invalidLinkTitle: 'یہ لنک درست نہیں ہے',
    invalidLinkMessage: 'ہو سکتا ہے یہ ادھورا کاپی ہوا ہو یا بدل دیا گیا ہو۔ کچھ نہیں بدلا گیا۔',
    notAllowedTitle: 'اجازت نہیں ہے',
    openLinkFromEmail: 'لنک اپنی ای میل سے کھولیں۔',
    useFormOrLink: 'فارم یا اپنی ای میل والا لنک استعمال کریں۔',
    notFoundTitle: 'نہیں ملا',
    notFoundMessage: 'اس پتے پر کچھ نہیں ہے۔',
    tryAgainTitle: 'براہ کرم دوبارہ کوشش کریں',
    mailNotSentMessage: 'تصدیقی ای میل ابھی نہیں بھیجی جا سکی۔ براہ کرم ایک منٹ بعد دوبارہ کوشش کریں۔',
    unsubscribeAskTitle: 'کیا {list} کی رکنیت ختم کریں؟',
    unsubscribeAskMessage: '{address} کو {list} کا کوئی اور شمارہ نہیں ملے گا۔',
    unsubscribeButton: 'رکنیت ختم کریں',
    unsubscribedTitle: 'آپ کی رکنیت ختم ہو گئی',
    unsubscribedMessage: '{address} کو {list} کا کوئی اور شمارہ نہیں ملے گا۔',
    notSubscribedTitle: 'آپ رکن نہیں ہیں',
    notSubscribedMessage: '{address} کو {list} کے شمارے نہیں ملتے۔',
    subscribeTitle: 'رکنیت',
    checkFormTitle: 'براہ کرم فارم دیکھ لیں',
    subscribeIntro: 'ہم پتے کی تصدیق کے لیے آپ کو ایک ای میل بھیجیں گے۔',
    newsletterLabel: 'نیوز لیٹر',
    emailLabel: 'ای میل',
    firstNameLabel: 'پہلا نام (اختیاری)',
    honeypotLabel: 'اسے خالی چھوڑ دیں',
    subscribeButton: 'رکنیت حاصل کریں',
    chooseList: 'نیوز لیٹرز میں سے ایک منتخب کریں۔',
    enterEmail: 'اپنا ای میل پتہ درج کریں۔',
    emailLooksWrong: '{example} جیسا پتہ درج کریں۔',
    firstNameTooLong: 'پہلا نام 100 حروف سے زیادہ نہ ہو۔',
    firstNameCharacters: 'صرف حروف، خالی جگہ اور رموزِ اوقاف استعمال کریں۔',
    checkInboxTitle: 'اپنا ان باکس دیکھیں',
    checkInboxMessage:
      'اگر یہ پتہ {list} میں شامل ہو سکتا ہے تو تصدیقی ای میل راستے میں ہے۔ شمارے حاصل کرنا شروع کرنے کے لیے اس کا لنک کھولیں۔',
    confirmAskTitle: 'کیا {list} میں شامل ہوں؟',
    confirmAskMessage: 'تصدیق کریں کہ آپ {list} حاصل کرنا چاہتے ہیں۔',
    confirmButton: 'رکنیت کی تصدیق کریں',
    confirmedTitle: 'آپ رکن بن گئے ہیں',
    confirmedMessage: '{list} میں خوش آمدید۔ اگلا شمارہ آپ تک پہنچے گا۔',
    notPendingTitle: 'تصدیق کے لیے کچھ نہیں',
    notPendingMessage: 'یہ پتہ {list} میں شامل ہونے کا منتظر نہیں ہے۔ دوبارہ شامل ہونے کے لیے رکنیت کا فارم استعمال کریں۔',
    confirmMailSubject: '{list} کی رکنیت کی تصدیق کریں',
    confirmMailPreheader: 'ایک کلک اور آپ فہرست میں شامل۔',
    confirmMailHeadline: 'براہ کرم {list} کی اپنی رکنیت کی تصدیق کریں',
    confirmMailRequest:
      'کسی نے، امید ہے آپ ہی نے، اس پتے پر یہ نیوز لیٹر حاصل کرنے کی درخواست کی ہے۔ نیچے دیے گئے بٹن سے تصدیق کریں؛ یہ لنک سات دن تک کام کرے گا۔',
    confirmMailIgnore: 'اگر یہ آپ نہیں تھے تو اس ای میل کو نظر انداز کریں: آپ کو شامل نہیں کیا جائے گا اور ہم دوبارہ نہیں لکھیں گے۔',
    confirmMailButton: 'جی ہاں، مجھے رکن بنائیں',
    confirmMailWhy:
      'آپ کو یہ ای میل اس لیے ملی کہ کسی نے {list} کے رکنیت فارم میں یہ پتہ درج کیا۔ اگر یہ آپ نہیں تھے تو اسے نظر انداز کریں، کچھ نہیں ہوگا۔',
  },
};

/** One piece of a filled phrase: words of the phrase, or a value to be inserted isolated. */
export type PhrasePiece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'value'; readonly text: string };

/** A list's lifecycle words: its language, its direction, and each phrase with the list's overrides applied. */
export interface LifecyclePhrases {
  /** The BCP 47 tag for `lang`. */
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  /** The phrase split into words and values, for markup that isolates each value itself (`<bdi>`). */
  pieces(key: LifecyclePhraseKey, values?: PhraseValues): PhrasePiece[];
  /** The phrase as plain text, each value isolated (U+2068 … U+2069) where directions may mix. */
  text(key: LifecyclePhraseKey, values?: PhraseValues): string;
}

/** Raised for a locale or an override that configuration checks should have refused: never English instead. */
export class LifecyclePhraseError extends Error {
  override readonly name = 'LifecyclePhraseError';
}

const RTL_CHARACTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/**
 * The lifecycle phrases for a list's locale (default "en") and its overrides. Throws LifecyclePhraseError for
 * a language without phrases, an unknown override key, or a phrase whose value the caller did not give.
 */
export function lifecyclePhrasesFor(locale = 'en', overrides: Readonly<Record<string, string>> = {}): LifecyclePhrases {
  const language = languageOf(locale);
  if (!isSupportedLanguage(language))
    throw new LifecyclePhraseError(`no lifecycle phrases for the language of "${locale}" (supported: ${LANGUAGES.join(', ')})`);
  const problems = phraseOverrideProblems(overrides);
  if (problems.length > 0) throw new LifecyclePhraseError(`phrases: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  const table: LifecyclePhraseTable = { ...LIFECYCLE_PHRASES[language], ...overrides };
  const rtl = isRightToLeft(locale);

  const pieces = (key: LifecyclePhraseKey, values: PhraseValues = {}): PhrasePiece[] => {
    const template = table[key];
    const out: PhrasePiece[] = [];
    let last = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      const value = values[match[1] as PhraseValueName];
      if (value === undefined) throw new LifecyclePhraseError(`phrase ${key} needs a value for ${match[0]}`);
      if (match.index > last) out.push({ kind: 'text', text: template.slice(last, match.index) });
      out.push({ kind: 'value', text: value });
      last = match.index + match[0].length;
    }
    if (last < template.length) out.push({ kind: 'text', text: template.slice(last) });
    return out;
  };
  // Left-to-right values in left-to-right text, nearly every case, get no invisible characters.
  const isolate = (value: string) => (rtl || RTL_CHARACTER.test(value) ? `\u2068${value}\u2069` : value);
  return {
    locale,
    dir: rtl ? 'rtl' : 'ltr',
    pieces,
    text: (key, values) =>
      pieces(key, values)
        .map((piece) => (piece.kind === 'value' ? isolate(piece.text) : piece.text))
        .join(''),
  };
}

// The values each phrase may use (LIFECYCLE_PHRASE_VALUES), checked when the module loads: a typo in a built-in phrase fails every test at once.
for (const [language, table] of Object.entries(LIFECYCLE_PHRASES)) {
  for (const key of LIFECYCLE_PHRASE_KEYS) {
    const names = valueNamesOf(table[key]);
    const allowed: readonly string[] = LIFECYCLE_PHRASE_VALUES[key];
    if (names.some((n) => !allowed.includes(n)))
      throw new LifecyclePhraseError(`the built-in ${language} phrase ${key} names a value it does not have: ${names.join(', ')}`);
  }
}

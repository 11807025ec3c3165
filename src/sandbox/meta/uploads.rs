//! `multipart/form-data` bodies (§0.2, required for a binary `source`): text parts become
//! parameters, file parts become uploads.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;

use super::media::Media;

/// Parts that hold a file even when the client sent no file name for them.
const FILE_FIELDS: [&str; 2] = ["source", "video_file_chunk"];

#[derive(Debug, Default)]
pub(super) struct Form {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, Media)>,
}

pub(super) fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    })
}

/// The parts of a multipart body; `None` when it does not parse, and the request then goes on
/// with its query parameters only, as a garbled body would on Graph.
pub(super) async fn read(content_type: &str, body: Bytes) -> Option<Form> {
    let request = Request::builder()
        .header(CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .ok()?;
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    let mut form = Form::default();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some() || FILE_FIELDS.contains(&name.as_str());
        let bytes = field.bytes().await.ok()?;
        if is_file {
            form.files.push((name, Media::whole(bytes)));
        } else {
            form.fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn text_parts_and_file_parts_are_told_apart() {
        let body = "--XyZ\r\n\
             Content-Disposition: form-data; name=\"published\"\r\n\r\n\
             false\r\n\
             --XyZ\r\n\
             Content-Disposition: form-data; name=\"source\"; filename=\"a.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n\
             JPEGBYTES\r\n\
             --XyZ--\r\n";
        let form = read("multipart/form-data; boundary=XyZ", Bytes::from(body))
            .await
            .unwrap();
        assert_eq!(form.fields, [("published".to_owned(), "false".to_owned())]);
        assert_eq!(form.files.len(), 1);
        assert_eq!(form.files[0].0, "source");
        assert_eq!(&form.files[0].1.bytes[..], b"JPEGBYTES");
        assert!(is_multipart(Some("Multipart/Form-Data; boundary=XyZ")));
        assert!(!is_multipart(Some("application/json")));
    }
}

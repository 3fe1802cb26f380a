package io.argus.models.packaging;

import java.io.IOException;

/** A model package that must not be loaded; the message names it and says why. */
public class InvalidModelPackageException extends IOException {

    public InvalidModelPackageException(String where, String reason) {
        super("model package " + where + ": " + reason);
    }
}
